import JSONCore
import Synchronization

/// Which of a browser's events belong to one run's browser contexts, for a recorder that shares its
/// browser with other runs (`discover run A B --workers 2`). Every recorder hears every event of the
/// connection; this keeps the ones of its own contexts: events of the sessions it set up, and the
/// browser-level events about them (a detach, a download started in one of their frames).
final class CaptureScope: Sendable {
    let browserContextIds: Set<String>

    private struct Members {
        var sessions: Set<String> = []
        var frames: Set<String> = []
        var downloads: Set<String> = []
    }
    private let members = Mutex(Members())

    init(browserContextIds: Set<String>) {
        self.browserContextIds = browserContextIds
    }

    /// A target of this context was attached: its session's events, and its main frame's, are ours.
    func admit(sessionId: String, targetId: String) {
        members.withLock {
            $0.sessions.insert(sessionId)
            // A page's main frame has its target's id.
            $0.frames.insert(targetId)
        }
    }

    func accepts(method: String, sessionId: String?, params: JSON) -> Bool {
        members.withLock { members in
            if let sessionId {
                guard members.sessions.contains(sessionId) else { return false }
                if method == "Page.frameNavigated", let frame = params["frame"]?["id"]?.stringValue { members.frames.insert(frame) }
                return true
            }
            switch method {
            case "Target.detachedFromTarget":
                return params["sessionId"]?.stringValue.map { members.sessions.contains($0) } ?? false
            case "Browser.downloadWillBegin":
                guard let frame = params["frameId"]?.stringValue, members.frames.contains(frame),
                    let guid = params["guid"]?.stringValue
                else { return false }
                members.downloads.insert(guid)
                return true
            case "Browser.downloadProgress":
                return params["guid"]?.stringValue.map { members.downloads.contains($0) } ?? false
            default:
                return false
            }
        }
    }
}
