import DevTools
import JSONCore

/// The size pages lay out at, in CSS pixels. Headless Chromium's own window is 800×600, where real
/// apps collapse sidebars, shrink titles to nothing and rename buttons; people test at desktop sizes,
/// and Playwright's default is 1280×720, so that is the default here too.
public struct Viewport: Sendable, Hashable, CustomStringConvertible {
    public var width: Int
    public var height: Int
    /// nil keeps the screen's own (1 in headless Chromium).
    public var deviceScaleFactor: Double?

    public static let standard = Viewport(width: 1280, height: 720)
    /// Chromium refuses sizes past 10,000,000 pixels a side; far below that, a page is not a window.
    public static let largestSide = 16_384

    public init(width: Int, height: Int, deviceScaleFactor: Double? = nil) {
        self.width = width
        self.height = height
        self.deviceScaleFactor = deviceScaleFactor
    }

    /// `1280x720` (or `1280×720`); nil for anything else or a side outside 1...`largestSide`.
    public init?(parsing text: String) {
        let parts = text.lowercased().replacingOccurrences(of: "×", with: "x").split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]),
            (1...Self.largestSide).contains(width), (1...Self.largestSide).contains(height)
        else { return nil }
        self.init(width: width, height: height)
    }

    public var description: String { "\(width)x\(height)" }

    /// Lays the page of `session` out at this size (its screen too, so `screen.width` agrees).
    public func apply(to session: CDPSession) async throws {
        _ = try await session.send(
            "Emulation.setDeviceMetricsOverride",
            ["width": .integer(width), "height": .integer(height), "deviceScaleFactor": .number(deviceScaleFactor ?? 0), "mobile": false,
             "screenWidth": .integer(width), "screenHeight": .integer(height)])
    }
}
