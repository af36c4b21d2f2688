import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
@preconcurrency import Glibc
import Durations
#endif

/// Every browser this process launched and has not closed yet, so that no exit path of the
/// process (signal, error, plain `exit`) leaves a Chromium behind.
public enum BrowserRegistry {
    private static let live = Mutex<[pid_t: ChromiumProcess]>([:])
    private static let hooksInstalled = Mutex(false)
    private static let signalSources = Mutex<[SignalSource]>([])
    /// Set while a signal handler tears down: the exit status it will end the process with.
    private static let signalExit = Mutex<Int32?>(nil)

    static func register(_ process: ChromiumProcess) {
        live.withLock { $0[process.pid] = process }
        installExitHook()
    }

    /// The atexit hook, once: for launched browsers and for `ExitCleanups`.
    static func installExitHook() {
        let firstTime = hooksInstalled.withLock { installed -> Bool in
            defer { installed = true }
            return !installed
        }
        if firstTime { atexit { BrowserRegistry.processWillExit() } }
    }

    static func unregister(_ process: ChromiumProcess) {
        _ = live.withLock { $0.removeValue(forKey: process.pid) }
    }

    /// Process ids of the browsers still running.
    public static var livePIDs: [Int32] { live.withLock { Array($0.keys) } }

    /// Kills every live browser's process group and removes its temporary profile. Synchronous:
    /// safe from a signal source or atexit.
    public static func terminateAll(gracePeriod: Duration = .milliseconds(500)) {
        let processes = live.withLock { live in
            defer { live.removeAll() }
            return Array(live.values)
        }
        for process in processes { process.terminate(gracePeriod: gracePeriod) }
    }

    /// An `exit` elsewhere (say, main failing because the handler killed its browser) must neither
    /// cut the handler's cleanup short nor replace its exit status: it waits for the handler.
    private static func processWillExit() {
        if signalExit.withLock({ $0 }) != nil {
            mainFinished.signal()
            while true { pause() }
        }
        terminateAll()
        ExitCleanups.runAll()
        OwnedTemporaryFolder.removeAll()
    }

    /// Posted when the main path has written what it captured after an interrupt.
    private static let mainFinished = DispatchSemaphore(value: 0)
    /// How long an interrupted run may take to write its capture (trailer, HAR, endpoints) once its
    /// browser is gone, before the process exits without it.
    public static let interruptWriteLimit: Duration = .seconds(4)

    /// The signal that interrupted this process (SIGINT, SIGTERM, SIGHUP), once one has.
    public static var interruption: Int32? {
        signalExit.withLock { $0.map { $0 - 128 } }
    }

    /// `SIGINT` for 2: the name messages and the capture trailer use.
    public static func signalName(_ signalNumber: Int32) -> String {
        switch signalNumber {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case SIGHUP: "SIGHUP"
        default: "signal \(signalNumber)"
        }
    }

    /// Closes the browsers (so the run's waits end at once), lets the main path write what was captured,
    /// marked as interrupted, for up to `interruptWriteLimit`, removes temporary folders, and exits
    /// with 128 + the signal number.
    static func exitForSignal(_ signalNumber: Int32) -> Never {
        let status = 128 + signalNumber
        let first = signalExit.withLock { pending -> Bool in
            defer { if pending == nil { pending = status } }
            return pending == nil
        }
        if first {
            terminateAll()
            ExitCleanups.runAll()
            _ = mainFinished.wait(timeout: Deadline(after: interruptWriteLimit).dispatchTime)
            OwnedTemporaryFolder.removeAll()
            fflush(nil)
            _exit(status)
        }
        while true { pause() }
    }

    /// SIGINT, SIGTERM and SIGHUP (a closed terminal or SSH session) close every live browser, then
    /// exit with 130, 143 or 129.
    public static func installSignalHandlers() {
        signalSources.withLock { sources in
            guard sources.isEmpty else { return }
            for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
                signal(signalNumber, SIG_IGN)
                sources.append(SignalSource(signalNumber: signalNumber))
            }
        }
    }
}

extension Browser {
    /// See `BrowserRegistry.installSignalHandlers()`.
    public static func installSignalHandlers() {
        BrowserRegistry.installSignalHandlers()
    }
}

/// Holds a Dispatch signal source; sources are thread-safe, which the compiler cannot see.
private final class SignalSource: @unchecked Sendable {
    private let source: any DispatchSourceSignal

    init(signalNumber: Int32) {
        source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
        source.setEventHandler(handler: Self.handler(for: signalNumber))
        source.resume()
    }

    /// Built in nonisolated code: a closure made in main-actor code and run by Dispatch traps.
    private static func handler(for signalNumber: Int32) -> @Sendable () -> Void {
        { BrowserRegistry.exitForSignal(signalNumber) }
    }
}
