/// What the server does with a request once its head is in and before any of its body is read.
/// Deciding here means a refused request costs no memory for its body, however long it claims to be.
public enum RequestAdmission: Sendable {
    /// Read the body and hand the request to the handler; a body longer than this (or than the
    /// server's `maximumBodyLength`, whichever is less) gets 413 unread.
    case accept(maximumBodyLength: Int)
    /// Answer this (its body must be `.bytes`) without reading the request's body, then close.
    case refuse(HTTPResponse)
}
