/// How a client checks the server of a `https://` or `wss://` connection.
public struct TLSOptions: Sendable, Equatable {
    /// Verify the certificate chain and that it names the host connected to. Off only on request
    /// (`--insecure`): without it anyone on the path can read and change the traffic.
    public var verifiesPeer: Bool
    /// A PEM file of CA certificates trusted in addition to the system's store (`--ca-file`).
    public var caFile: String?

    public init(verifiesPeer: Bool = true, caFile: String? = nil) {
        self.verifiesPeer = verifiesPeer
        self.caFile = caFile
    }
}
