import Foundation

/// Certificates for TLS tests, made with the `openssl` command in a temporary folder: a CA, server
/// certificates it signs for the names a test asks for, and an unrelated CA that vouches for none of them.
/// A missing `openssl` is an error with the install command, never a skipped test.
public final class TestCertificates: Sendable {
    public let folder: String
    /// The CA that signs every server certificate made here (what `--ca-file` should be given).
    public var caFile: String { folder + "/ca.pem" }
    /// A CA that signed nothing here: trusting it must not make any server certificate verify.
    public var otherCAFile: String { folder + "/other-ca.pem" }

    /// A server's certificate and private key, PEM files.
    public struct ServerIdentity: Sendable {
        public let certificateFile: String
        public let keyFile: String
    }

    private init(folder: String) {
        self.folder = folder
    }

    /// Makes both CAs (P-256 keys: fast to make and to use).
    public static func make() throws -> TestCertificates {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("discover-tls-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let certificates = TestCertificates(folder: folder)
        do {
            for name in ["ca", "other-ca"] {
                try openssl([
                    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", "\(folder)/\(name).key", "-out", "\(folder)/\(name).pem", "-days", "2",
                    "-subj", "/CN=discover test \(name)", "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                ])
            }
        } catch {
            certificates.remove()
            throw error
        }
        return certificates
    }

    /// A server certificate signed by `caFile` whose subjectAltName lists `names` (`DNS:localhost`,
    /// `IP:127.0.0.1`): what a client's name check compares with.
    public func server(_ label: String, names: [String]) throws -> ServerIdentity {
        let base = "\(folder)/\(label)"
        let extensions = "\(base).ext"
        try """
            subjectAltName=\(names.joined(separator: ","))
            basicConstraints=CA:FALSE
            keyUsage=digitalSignature
            extendedKeyUsage=serverAuth

            """.write(toFile: extensions, atomically: true, encoding: .utf8)
        try Self.openssl([
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "\(base).key", "-out", "\(base).csr", "-subj", "/CN=\(label)",
        ])
        try Self.openssl([
            "x509", "-req", "-in", "\(base).csr", "-CA", caFile, "-CAkey", "\(folder)/ca.key", "-CAcreateserial",
            "-out", "\(base).pem", "-days", "2", "-extfile", extensions,
        ])
        return ServerIdentity(certificateFile: "\(base).pem", keyFile: "\(base).key")
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private static func openssl(_ arguments: [String]) throws {
        let executable = "/usr/bin/openssl"
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw TLSTestError("the openssl command is required to make the test certificates. Install it: apt-get install -y openssl")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TLSTestError("openssl \(arguments.joined(separator: " ")) failed: \(String(decoding: message, as: UTF8.self))")
        }
    }
}

public struct TLSTestError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
