/// HTTP/1.1 message pieces shared by clients: heads, header fields, chunked bodies.
/// (A namespace, so these names stay apart from the HTTP server's own types in this module.)
public enum HTTP1 {}
