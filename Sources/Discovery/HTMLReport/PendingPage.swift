import Foundation
import Synchronization

/// The page drawn on a thread of its own while `writeOutputs` writes the other files: each of those
/// waits for its `fsync`, so the drawing mostly fills time `generate` spent waiting anyway.
final class PendingPage: Sendable {
    private let result = Mutex<[UInt8]?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ api: DiscoveredAPI, _ context: HTMLReport.Context) {
        let thread = Thread { [self] in
            let bytes = HTMLReport.draw(api, context).bytes
            result.withLock { $0 = bytes }
            done.signal()
        }
        // The schema trees recurse per level, as the serializer does: the main thread's stack size.
        thread.stackSize = 8 << 20
        thread.start()
    }

    func bytes() -> [UInt8] {
        done.wait()
        return result.withLock { $0 ?? [] }
    }
}
