import Browser
import Foundation
import JSONCore

/// One action of a flow with its modifiers.
public struct Step: Sendable {
    public var action: Action
    public var name: String?
    /// Overrides the run's step timeout.
    public var timeout: Duration?
    public var when: WhenCondition?
    /// A step that may not happen ("dismiss the banner if it shows"): when it fails or times out, the
    /// flow goes on and the report says why it was skipped. A browser or app that is gone still fails.
    public var optional: Bool
    /// The step exactly as written in the file, before interpolation: failures quote it.
    public var written: JSON
    /// 1-based position in its flow.
    public var index: Int

    public init(
        action: Action, name: String? = nil, timeout: Duration? = nil, when: WhenCondition? = nil, optional: Bool = false, written: JSON,
        index: Int
    ) {
        self.action = action
        self.optional = optional
        self.name = name
        self.timeout = timeout
        self.when = when
        self.written = written
        self.index = index
    }
}

public enum SelectOption: Sendable, Hashable {
    /// A native option's label or value, or a custom option's text.
    case text(String)
    case locator(Locator)
}

/// Where a pointer action lands, in CSS pixels from the element's top-left corner (the Recorder's
/// offsetX/offsetY); nil means the centre.
public struct PointerPosition: Sendable, Hashable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// Which mouse button a click presses, and the modifier keys held while it does.
public struct PointerPress: Sendable, Hashable {
    public enum Button: String, Sendable, CaseIterable {
        case left, right, middle
    }

    public enum Modifier: String, Sendable, CaseIterable {
        case Alt, Control, Meta, Shift

        /// The bit `Input.dispatchMouseEvent` takes for it.
        var bit: Int {
            switch self {
            case .Alt: 1
            case .Control: 2
            case .Meta: 4
            case .Shift: 8
            }
        }
    }

    public var button: Button
    public var modifiers: Set<Modifier>

    public static let plain = PointerPress(button: .left, modifiers: [])

    public init(button: Button = .left, modifiers: Set<Modifier> = []) {
        self.button = button
        self.modifiers = modifiers
    }

    var modifierBits: Int { modifiers.reduce(0) { $0 | $1.bit } }
}

public enum Action: Sendable {
    case goto(String)
    case click(Locator, position: PointerPosition?, press: PointerPress = .plain)
    case dblclick(Locator, position: PointerPosition?, press: PointerPress = .plain)
    case hover(Locator, position: PointerPosition?)
    case fill(Locator, value: String)
    case type(Locator, value: String, delay: Int?)
    case press(String, target: Locator?)
    case select(Locator, option: SelectOption)
    case check(Locator)
    case uncheck(Locator)
    case upload(Locator, files: [String])
    case waitFor(Condition)
    case expect(Condition)
    case save(variable: String, from: Source)
    case evaluate(String, save: String?)
    case screenshot(String, fullPage: Bool)
    case download(Locator, save: String?)
    case setViewport(Viewport)
    /// The included flow, loaded with its own file so its failures name it.
    case include(Flow)

    /// The action key as written in a flow file.
    public var kind: String {
        switch self {
        case .goto: "goto"
        case .click: "click"
        case .dblclick: "dblclick"
        case .hover: "hover"
        case .fill: "fill"
        case .type: "type"
        case .press: "press"
        case .select: "select"
        case .check: "check"
        case .uncheck: "uncheck"
        case .upload: "upload"
        case .waitFor: "waitFor"
        case .expect: "expect"
        case .save: "save"
        case .evaluate: "evaluate"
        case .screenshot: "screenshot"
        case .download: "download"
        case .setViewport: "setViewport"
        case .include: "include"
        }
    }

    /// The locator the action acts on, if any.
    public var locator: Locator? {
        switch self {
        case .click(let l, _, _), .dblclick(let l, _, _), .hover(let l, _), .check(let l), .uncheck(let l): l
        case .fill(let l, _), .type(let l, _, _), .select(let l, _), .upload(let l, _), .download(let l, _): l
        case .press(_, let target): target
        case .waitFor(.element(let l, _, _)), .expect(.element(let l, _, _)): l
        case .save(_, .element(let l, _)): l
        default: nil
        }
    }
}
