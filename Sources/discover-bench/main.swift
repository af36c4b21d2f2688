print("discover-bench: no benchmarks yet")
