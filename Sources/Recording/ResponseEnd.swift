/// How Chromium ends a request whose response already arrived, judged the same way by the recorder
/// and by the runner's network conditions.
public enum ResponseEnd {
    /// Whether a response of this status to this method carries a body at all (204, 205 and 304
    /// never do, nor does any answer to HEAD; 1xx are interim).
    public static func hasBody(status: Int, method: String) -> Bool {
        !(100..<200).contains(status) && status != 204 && status != 205 && status != 304 && method.uppercased() != "HEAD"
    }

    /// Chromium reports a `fetch` answered 204 (205, 304, a HEAD) as `responseReceived` followed by
    /// `loadingFailed(net::ERR_ABORTED, canceled)`: there was no body to load, so nothing failed.
    /// Such an end is a finished response, not a failure.
    public static func isCompleteDespiteFailure(status: Int?, method: String, errorText: String) -> Bool {
        guard let status else { return false }
        return !hasBody(status: status, method: method) && errorText.hasPrefix("net::ERR_ABORTED")
    }
}
