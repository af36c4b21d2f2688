import Browser
import Foundation
import JSONCore
import Recording
import Synchronization

/// What a finished capture produced.
public struct CaptureSummary: Sendable {
    public var captureURL: URL
    public var harURL: URL?
    public var complete: Bool
    public var exchanges: Int
    public var messages: Int
    public var failed: Int
    public var downloads: Int
    public var eventsProcessed: Int
    /// Problems that did not stop the capture (a body that could not be fetched, a write error).
    public var warnings: [String]
    /// Records that could not be written (a full disk), each naming the file: the capture is then
    /// incomplete whatever the flows did.
    public var writeErrors: [String] = []
}

/// The browser-independent half of the recorder: it owns `capture.jsonl` (header at start, trailer at
/// the end), runs DevTools events through the `NetworkAssembler` under one lock (records then reach the
/// file on `CaptureOutput`'s writer queue, off the caller's thread), and writes the HAR.
/// `Recorder` feeds it from a live browser; tests feed it recorded event sequences.
public final class CaptureCore: Sendable {
    public let options: CaptureOptions
    public let redactor: Redactor
    public let bodies: BodyStore
    private let state: Guarded<NetworkAssembler>
    private let warnings = Mutex<[String]>([])

    public init(options: CaptureOptions, startedAt: Double = Date().timeIntervalSince1970) throws {
        self.options = options
        let redactor = Redactor(secrets: options.secrets, enabled: !options.keepSecrets)
        self.redactor = redactor
        try FileManager.default.createDirectory(at: options.outputFolder, withIntermediateDirectories: true)
        let bodies = BodyStore(folder: options.outputFolder.appendingPathComponent("bodies"), threshold: options.spoolThreshold, redactor: redactor)
        self.bodies = bodies
        let writer = try CaptureWriter(url: options.captureURL)
        let output = CaptureOutput(writer: writer, redactor: redactor)
        output.append(.header(CaptureHeader(
            toolVersion: options.toolVersion, startedAt: startedAt, baseURL: options.baseURL.map(redactor.redactURL),
            flows: options.flows, redacted: redactor.enabled)))
        let assembler = NetworkAssembler(
            output: output, filter: URLFilter(include: options.include, exclude: options.exclude), bodies: bodies,
            keepUploadedFileBytes: options.keepUploadedFileBytes, grace: options.extraInfoGrace)
        state = Guarded(assembler)
    }

    public func ingest(_ event: NetworkEvent) -> [NetworkCommand] {
        state.withLock { $0.handle(event) }
    }

    /// Runs `body` on the assembler under the lock (command results, provenance, targets, ticks).
    public func withAssembler<T>(_ body: (NetworkAssembler) throws -> T) rethrows -> T {
        try state.withLock { try body($0) }
    }

    /// Returns once `capture.jsonl` holds every record assembled so far: records are written on a queue
    /// of their own, so a reader of the file during the capture waits for this first.
    public func flush() {
        state.withLock { $0.output.flush() }
    }

    public func warn(_ message: String) {
        warnings.withLock { list in
            if list.count < 100 { list.append(message) }
        }
    }

    /// Ends in-flight exchanges, writes the trailer, then `capture.har` from the file as written (the
    /// HAR sees exactly what the capture holds, with background polls marked).
    public func finish(complete: Bool, reason: String?, flows: [String: String] = [:]) throws -> CaptureSummary {
        let (counts, events, writeErrors) = try state.withLock { assembler in
            assembler.finish()
            let (counts, writeErrors) = try assembler.output.finish { counts in
                .trailer(CaptureTrailer(
                    complete: complete, reason: reason.map(redactor.redactLiterals), endedAt: Date().timeIntervalSince1970, counts: counts,
                    flows: flows))
            }
            return (counts, assembler.eventsProcessed, writeErrors)
        }
        let file = try CaptureFile.read(options.captureURL)
        try HARWriter.write(
            file.exchanges, to: options.harURL, policy: options.harContent, captureFolder: options.outputFolder, toolVersion: options.toolVersion)
        return CaptureSummary(
            captureURL: options.captureURL, harURL: options.harURL, complete: complete && writeErrors.isEmpty, exchanges: counts["exchanges"] ?? 0,
            messages: counts["messages"] ?? 0, failed: counts["failed"] ?? 0, downloads: counts["downloads"] ?? 0,
            eventsProcessed: events, warnings: warnings.withLock { $0 }, writeErrors: writeErrors)
    }
}

/// A non-Sendable value reachable only under a lock. `Mutex` would need the value to be sent in and
/// out of each critical section, which a class graph (assembler, output, writer) cannot be.
final class Guarded<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private let value: Value
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(value)
    }
}
