import Foundation

/// How the HAR carries bodies, like Playwright's `--har-content`.
public enum HARContentPolicy: String, Sendable, CaseIterable {
    /// Bodies inline (`content.text`, base64 for binary).
    case embed
    /// Bodies in files beside the HAR, referenced by `_file`.
    case attach
    /// No bodies.
    case omit
}

public struct CaptureOptions: Sendable {
    /// `capture.jsonl`, `capture.har`, `bodies/` and `downloads/` go here.
    public var outputFolder: URL
    /// Values of the environment variables the flows mark secret.
    public var secrets: [SecretValue]
    /// Turns redaction off; the CLI warns loudly.
    public var keepSecrets: Bool
    public var include: [String]
    public var exclude: [String]
    public var harContent: HARContentPolicy
    /// Bodies larger than this (bytes) are written to `bodies/` beside the capture instead of inline.
    public var spoolThreshold: Int
    /// Keep the bytes of uploaded files in multipart parts (base64); off by default.
    public var keepUploadedFileBytes: Bool
    /// Written into the capture header.
    public var toolVersion: String
    public var baseURL: String?
    public var flows: [String]
    /// How long a finished exchange waits for its `...ExtraInfo` events before it is written without them.
    public var extraInfoGrace: Duration

    public init(
        outputFolder: URL, secrets: [SecretValue] = [], keepSecrets: Bool = false, include: [String] = [], exclude: [String] = [],
        harContent: HARContentPolicy = .embed, spoolThreshold: Int = 1 << 20, keepUploadedFileBytes: Bool = false,
        toolVersion: String = "dev", baseURL: String? = nil, flows: [String] = [], extraInfoGrace: Duration = .seconds(2)
    ) {
        self.outputFolder = outputFolder
        self.secrets = secrets
        self.keepSecrets = keepSecrets
        self.include = include
        self.exclude = exclude
        self.harContent = harContent
        self.spoolThreshold = spoolThreshold
        self.keepUploadedFileBytes = keepUploadedFileBytes
        self.toolVersion = toolVersion
        self.baseURL = baseURL
        self.flows = flows
        self.extraInfoGrace = extraInfoGrace
    }

    public var captureURL: URL { outputFolder.appendingPathComponent("capture.jsonl") }
    public var harURL: URL { outputFolder.appendingPathComponent("capture.har") }
    public var downloadsFolder: URL { outputFolder.appendingPathComponent("downloads") }
}
