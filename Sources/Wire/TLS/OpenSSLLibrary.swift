import Glibc

/// The system's OpenSSL 3, loaded at run time with `dlopen`: the package has no dependency and needs no
/// headers to build, and a machine without libssl fails only when it asks for TLS.
///
/// Each function is resolved once with `dlsym` into the C signature of OpenSSL 3's headers. The
/// constants below are the values of OpenSSL 3's macros (stable ABI since 1.1.0).
struct OpenSSLLibrary: Sendable {
    typealias Pointer = OpaquePointer

    // libssl
    let TLS_client_method: @Sendable @convention(c) () -> Pointer?
    let SSL_CTX_new: @Sendable @convention(c) (Pointer?) -> Pointer?
    let SSL_CTX_free: @Sendable @convention(c) (Pointer?) -> Void
    let SSL_CTX_set_default_verify_paths: @Sendable @convention(c) (Pointer?) -> Int32
    let SSL_CTX_load_verify_locations: @Sendable @convention(c) (Pointer?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Int32
    let SSL_CTX_set_verify: @Sendable @convention(c) (Pointer?, Int32, UnsafeRawPointer?) -> Void
    let SSL_CTX_ctrl: @Sendable @convention(c) (Pointer?, Int32, Int, UnsafeMutableRawPointer?) -> Int
    let SSL_CTX_set_options: @Sendable @convention(c) (Pointer?, UInt64) -> UInt64
    let SSL_new: @Sendable @convention(c) (Pointer?) -> Pointer?
    let SSL_free: @Sendable @convention(c) (Pointer?) -> Void
    let SSL_set_fd: @Sendable @convention(c) (Pointer?, Int32) -> Int32
    let SSL_ctrl: @Sendable @convention(c) (Pointer?, Int32, Int, UnsafeMutableRawPointer?) -> Int
    let SSL_set1_host: @Sendable @convention(c) (Pointer?, UnsafePointer<CChar>?) -> Int32
    let SSL_get0_param: @Sendable @convention(c) (Pointer?) -> Pointer?
    let SSL_connect: @Sendable @convention(c) (Pointer?) -> Int32
    let SSL_read: @Sendable @convention(c) (Pointer?, UnsafeMutableRawPointer?, Int32) -> Int32
    let SSL_write: @Sendable @convention(c) (Pointer?, UnsafeRawPointer?, Int32) -> Int32
    let SSL_get_error: @Sendable @convention(c) (Pointer?, Int32) -> Int32
    let SSL_shutdown: @Sendable @convention(c) (Pointer?) -> Int32
    let SSL_get_verify_result: @Sendable @convention(c) (Pointer?) -> Int
    // libcrypto
    let X509_VERIFY_PARAM_set1_ip_asc: @Sendable @convention(c) (Pointer?, UnsafePointer<CChar>?) -> Int32
    let X509_verify_cert_error_string: @Sendable @convention(c) (Int) -> UnsafePointer<CChar>?
    let ERR_get_error: @Sendable @convention(c) () -> UInt
    let ERR_clear_error: @Sendable @convention(c) () -> Void
    let ERR_error_string_n: @Sendable @convention(c) (UInt, UnsafeMutablePointer<CChar>?, Int) -> Void
    let OpenSSL_version_num: @Sendable @convention(c) () -> UInt

    // Macros of ssl.h and x509_vfy.h that are plain numbers.
    static let SSL_VERIFY_NONE: Int32 = 0
    static let SSL_VERIFY_PEER: Int32 = 1
    static let SSL_CTRL_MODE: Int32 = 33
    static let SSL_CTRL_SET_TLSEXT_HOSTNAME: Int32 = 55
    static let SSL_CTRL_SET_MIN_PROTO_VERSION: Int32 = 123
    static let TLSEXT_NAMETYPE_host_name = 0
    static let TLS1_2_VERSION = 0x0303
    /// SSL_write may be retried with the same bytes at another address (our buffers are Swift arrays).
    static let SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER = 0x2
    /// A peer that closes the TCP connection without close_notify ends the stream (as with plain TCP)
    /// instead of failing it: proxies and browsers often do.
    static let SSL_OP_IGNORE_UNEXPECTED_EOF: UInt64 = 1 << 7
    static let SSL_ERROR_SSL: Int32 = 1
    static let SSL_ERROR_WANT_READ: Int32 = 2
    static let SSL_ERROR_WANT_WRITE: Int32 = 3
    static let SSL_ERROR_SYSCALL: Int32 = 5
    static let SSL_ERROR_ZERO_RETURN: Int32 = 6
    static let X509_V_OK = 0
    static let X509_V_ERR_HOSTNAME_MISMATCH = 62
    static let X509_V_ERR_IP_ADDRESS_MISMATCH = 64

    /// What to install when the library is missing; part of every "not available" error.
    static let installHint = "TLS needs the system's OpenSSL 3 (libssl.so.3): apt-get install libssl3"

    /// The library, loaded on first use; the error says what is missing and how to install it.
    static func shared() throws(TLSError) -> OpenSSLLibrary {
        switch loaded {
        case .success(let library): return library
        case .failure(let error): throw error
        }
    }

    private static let loaded: Result<OpenSSLLibrary, TLSError> = Result { () throws(TLSError) in try load() }

    private static func load() throws(TLSError) -> OpenSSLLibrary {
        let ssl = try open(["libssl.so.3", "libssl.so"])
        let crypto = try open(["libcrypto.so.3", "libcrypto.so"])
        let library = try OpenSSLLibrary(ssl: ssl, crypto: crypto)
        // The signatures above are OpenSSL 3's (SSL_CTX_set_options takes a uint64_t only since 3.0).
        let version = library.OpenSSL_version_num()
        guard version >= 0x3000_0000 else {
            throw .libraryUnavailable("found OpenSSL \(String(version >> 28)).\(String((version >> 20) & 0xff)), not 3. \(installHint)")
        }
        return library
    }

    private static func open(_ names: [String]) throws(TLSError) -> UnsafeMutableRawPointer {
        var reasons: [String] = []
        for name in names {
            if let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) { return handle }
            reasons.append(dlerror().map { String(cString: $0) } ?? name)
        }
        throw .libraryUnavailable("\(installHint) (\(reasons.joined(separator: "; ")))")
    }

    private init(ssl: UnsafeMutableRawPointer, crypto: UnsafeMutableRawPointer) throws(TLSError) {
        func symbol<F>(_ handle: UnsafeMutableRawPointer, _ name: String) throws(TLSError) -> F {
            guard let address = dlsym(handle, name) else {
                throw .libraryUnavailable("the loaded OpenSSL has no \(name). \(OpenSSLLibrary.installHint)")
            }
            return unsafeBitCast(address, to: F.self)
        }
        TLS_client_method = try symbol(ssl, "TLS_client_method")
        SSL_CTX_new = try symbol(ssl, "SSL_CTX_new")
        SSL_CTX_free = try symbol(ssl, "SSL_CTX_free")
        SSL_CTX_set_default_verify_paths = try symbol(ssl, "SSL_CTX_set_default_verify_paths")
        SSL_CTX_load_verify_locations = try symbol(ssl, "SSL_CTX_load_verify_locations")
        SSL_CTX_set_verify = try symbol(ssl, "SSL_CTX_set_verify")
        SSL_CTX_ctrl = try symbol(ssl, "SSL_CTX_ctrl")
        SSL_CTX_set_options = try symbol(ssl, "SSL_CTX_set_options")
        SSL_new = try symbol(ssl, "SSL_new")
        SSL_free = try symbol(ssl, "SSL_free")
        SSL_set_fd = try symbol(ssl, "SSL_set_fd")
        SSL_ctrl = try symbol(ssl, "SSL_ctrl")
        SSL_set1_host = try symbol(ssl, "SSL_set1_host")
        SSL_get0_param = try symbol(ssl, "SSL_get0_param")
        SSL_connect = try symbol(ssl, "SSL_connect")
        SSL_read = try symbol(ssl, "SSL_read")
        SSL_write = try symbol(ssl, "SSL_write")
        SSL_get_error = try symbol(ssl, "SSL_get_error")
        SSL_shutdown = try symbol(ssl, "SSL_shutdown")
        SSL_get_verify_result = try symbol(ssl, "SSL_get_verify_result")
        X509_VERIFY_PARAM_set1_ip_asc = try symbol(crypto, "X509_VERIFY_PARAM_set1_ip_asc")
        X509_verify_cert_error_string = try symbol(crypto, "X509_verify_cert_error_string")
        ERR_get_error = try symbol(crypto, "ERR_get_error")
        ERR_clear_error = try symbol(crypto, "ERR_clear_error")
        ERR_error_string_n = try symbol(crypto, "ERR_error_string_n")
        OpenSSL_version_num = try symbol(crypto, "OpenSSL_version_num")
    }

    /// OpenSSL's queued error reasons for the calling thread, oldest first, emptying the queue.
    func drainErrors() -> String {
        var reasons: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var text = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &text, text.count)
            reasons.append(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return reasons.joined(separator: "; ")
    }
}
