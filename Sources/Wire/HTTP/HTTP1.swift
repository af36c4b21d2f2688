/// HTTP/1.1 message pieces shared by clients: heads, header fields, chunked bodies.
/// (A namespace, so these names stay apart from the HTTP server target's own types.)
public enum HTTP1 {}
