import DevTools
import Foundation
import JSONCore
import Synchronization

/// Where a browser context's downloads land (`Browser.setDownloadBehavior`, each under its GUID), and
/// whether this caller set it: only the one who set it names the files.
public struct DownloadsFolder: Sendable, Equatable {
    public let url: URL
    public let setByCaller: Bool
}

/// The download behaviour of each browser context, set once: the first caller's folder wins and later
/// callers are told where it is.
final class DownloadBehaviors: Sendable {
    private let settings = Mutex<[String: Task<URL, any Error>]>([:])

    func configure(_ session: CDPSession, folder: URL, browserContextId: String?) async throws -> DownloadsFolder {
        let (task, setByCaller) = settings.withLock { settings -> (Task<URL, any Error>, Bool) in
            if let task = settings[browserContextId ?? ""] { return (task, false) }
            let task = Task {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                var params: [String: JSON] = ["behavior": "allowAndName", "downloadPath": .string(folder.path), "eventsEnabled": true]
                if let browserContextId { params["browserContextId"] = .string(browserContextId) }
                _ = try await session.send("Browser.setDownloadBehavior", .object(params))
                return folder
            }
            settings[browserContextId ?? ""] = task
            return (task, true)
        }
        return DownloadsFolder(url: try await task.value, setByCaller: setByCaller)
    }
}

extension Browser {
    /// Sends the downloads of `browserContextId` (nil: the browser's default behaviour) to `folder`,
    /// unless someone already chose that context's folder: then that one is returned.
    public func configureDownloads(into folder: URL, browserContextId: String?) async throws -> DownloadsFolder {
        try await downloads.configure(session, folder: folder, browserContextId: browserContextId)
    }
}
