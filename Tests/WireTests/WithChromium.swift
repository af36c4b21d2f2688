import TestSupport

/// Launches a Chromium with a debugging port, runs `body`, and closes the browser on every path.
/// Closing waits (up to seconds) for the process group to exit, so it runs on a thread of its own: a
/// parked cooperative-pool thread would stall every other test in the process meanwhile.
func withDebuggingPortChromium<T: Sendable>(_ body: (DebuggingPortChromium) async throws -> T) async throws -> T {
    let chromium = try await DebuggingPortChromium.launch()
    do {
        let value = try await body(chromium)
        await closeOffThePool(chromium)
        return value
    } catch {
        await closeOffThePool(chromium)
        throw error
    }
}

func closeOffThePool(_ chromium: DebuggingPortChromium) async {
    _ = await onOwnThread { chromium.close() }.result
}
