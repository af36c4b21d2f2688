import Browser
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

    func accepts(_ event: NetworkEvent) -> Bool {
        members.withLock { members in
            switch event {
            case .downloadBegin(let download):
                guard let frame = download.frameId, members.frames.contains(frame) else { return false }
                members.downloads.insert(download.guid)
                return true
            case .downloadProgress(let guid, _, _, _):
                return members.downloads.contains(guid)
            case .documentCommitted(let sessionId, let frameId, _, _):
                guard let sessionId, members.sessions.contains(sessionId) else { return false }
                members.frames.insert(frameId)
                return true
            default:
                // A detach names the detached session; everything else comes from a session of ours.
                return event.sessionId.map { members.sessions.contains($0) } ?? false
            }
        }
    }
}
