import Foundation
import Testing

@testable import Recording

@Suite("HandOff between two threads")
struct HandOffTests {
    struct Broken: Error {}

    @Test("elements come out in order, then the producer's error")
    func orderThenError() throws {
        let queue = HandOff<Int>(capacity: 2)
        let producer = Thread {
            for value in 0..<100 { queue.put(value) }
            queue.finish(throwing: Broken())
        }
        producer.start()
        var taken: [Int] = []
        #expect(throws: Broken.self) {
            while let value = try queue.take() { taken.append(value) }
        }
        #expect(taken == Array(0..<100))
    }

    @Test("a consumer that cancels frees a producer waiting on a full hand-off")
    func cancelFreesTheProducer() {
        let queue = HandOff<Int>(capacity: 1)
        queue.put(1)
        let refused = DispatchSemaphore(value: 0)
        let result = Unsafe()
        let producer = Thread {
            result.accepted = queue.put(2)
            refused.signal()
        }
        producer.start()
        // The producer is blocked on the full queue until the consumer goes.
        #expect(refused.wait(timeout: .now() + 0.3) == .timedOut)
        queue.cancel()
        #expect(refused.wait(timeout: .now() + 10) == .success)
        #expect(result.accepted == false)
        #expect((try? queue.take()) == .some(nil))
    }

    final class Unsafe: @unchecked Sendable { var accepted: Bool? }
}
