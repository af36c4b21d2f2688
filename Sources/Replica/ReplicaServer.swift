import Foundation
import HTTPServer

/// The AI Toolkit replica: the real UI's HTTP API, a simulated trainer and the UI, on one port.
///
///     var options = ReplicaOptions()
///     options.password = "secret"
///     let replica = try await ReplicaServer.start(options)
///     print(replica.baseURL)        // http://127.0.0.1:<port>
///     await replica.stop()
public final class ReplicaServer: Sendable {
    public struct OptionsError: Error, CustomStringConvertible {
        public let description: String
    }

    public let options: ReplicaOptions
    /// Where datasets (`datasets/`) and training output (`output/`) are kept.
    public let dataRoot: URL
    private let http: HTTPServer
    private let context: ReplicaContext
    private let trainer: SimulatedTrainer
    private let ownsDataRoot: Bool

    public var port: UInt16 { http.port }
    public var baseURL: String { http.baseURL }

    private init(options: ReplicaOptions, ownsDataRoot: Bool, http: HTTPServer, context: ReplicaContext, trainer: SimulatedTrainer) {
        self.options = options
        self.dataRoot = context.dataRoot
        self.ownsDataRoot = ownsDataRoot
        self.http = http
        self.context = context
        self.trainer = trainer
    }

    /// Creates the data folders, binds the port and starts the trainer's worker loop.
    public static func start(_ options: ReplicaOptions = .init()) async throws -> ReplicaServer {
        guard let version = ReplicaVersion(rawValue: options.uiVersion) else {
            let known = ReplicaVersion.allCases.map(\.rawValue).joined(separator: ", ")
            throw OptionsError(description: "unknown UI version '\(options.uiVersion)'; known: \(known)")
        }
        let ownsDataRoot = options.dataRoot == nil
        let dataRoot = options.dataRoot ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("discover-replica-\(UUID().uuidString.prefix(8).lowercased())")
        let context = ReplicaContext(options: options, version: version, dataRoot: dataRoot)
        for folder in [context.defaultDatasetsFolder, context.defaultTrainingFolder] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let trainer = SimulatedTrainer(context: context, timing: options.trainer)
        let router = ReplicaRouter(context: context, trainer: trainer)
        var configuration = HTTPServer.Configuration()
        configuration.port = options.port
        configuration.maximumBodyLength = max(options.maximumRequestBodyLength, options.maximumUploadBodyLength)
        // The hot-reload socket's messages are a few dozen bytes.
        configuration.maximumWebSocketMessageLength = 1 << 20
        let gate = RequestGate(options: options, boundHost: configuration.host)
        configuration.admission = { request in gate.admit(request) }
        if !options.latency.isNone { configuration.refusalDelay = { [latency = options.latency] in latency.draw() } }
        let http: HTTPServer
        do {
            let latency = options.latency
            http = try HTTPServer.start(configuration: configuration) { request in
                guard !latency.isNone else { return await router.handle(request) }
                let roundTrip = latency.draw()
                try? await Task.sleep(for: roundTrip / 2)
                let response = await router.handle(request)
                try? await Task.sleep(for: roundTrip / 2)
                return response
            }
        } catch {
            if ownsDataRoot { try? FileManager.default.removeItem(at: dataRoot) }
            throw error
        }
        trainer.start()
        return ReplicaServer(options: options, ownsDataRoot: ownsDataRoot, http: http, context: context, trainer: trainer)
    }

    /// Every `info` string job `id` has had, oldest first (`Job queued`, `Starting`, `Loading model`, ...);
    /// nil for an unknown job. Phases can be shorter than any poll interval; this keeps them all.
    public func infoHistory(ofJob id: String) -> [String]? {
        context.job(id)?.infoHistory
    }

    /// Ends open connections (monitor streams, the hot-reload socket), stops the trainer, and removes
    /// the data root if the replica created it.
    public func stop() async {
        await http.stop()
        await trainer.stop()
        if ownsDataRoot { try? FileManager.default.removeItem(at: dataRoot) }
    }
}
