extension CDP {
    public enum Input {
        /// Bit flags for `modifiers`.
        public enum Modifier {
            public static let alt = 1
            public static let control = 2
            public static let meta = 4
            public static let shift = 8
        }

        public struct DispatchMouseEvent: CDPCommand {
            public static let method = "Input.dispatchMouseEvent"
            public typealias Response = EmptyResponse
            /// mousePressed, mouseReleased, mouseMoved, mouseWheel
            public var type: String
            public var x: Double
            public var y: Double
            public var modifiers: Int?
            /// none, left, middle, right, back, forward
            public var button: String?
            public var buttons: Int?
            public var clickCount: Int?
            public var deltaX: Double?
            public var deltaY: Double?
            public init(
                type: String, x: Double, y: Double, modifiers: Int? = nil, button: String? = nil, buttons: Int? = nil,
                clickCount: Int? = nil, deltaX: Double? = nil, deltaY: Double? = nil
            ) {
                self.type = type
                self.x = x
                self.y = y
                self.modifiers = modifiers
                self.button = button
                self.buttons = buttons
                self.clickCount = clickCount
                self.deltaX = deltaX
                self.deltaY = deltaY
            }
        }

        public struct DispatchKeyEvent: CDPCommand {
            public static let method = "Input.dispatchKeyEvent"
            public typealias Response = EmptyResponse
            /// keyDown, keyUp, rawKeyDown, char
            public var type: String
            public var modifiers: Int?
            public var text: String?
            public var unmodifiedText: String?
            public var key: String?
            public var code: String?
            public var windowsVirtualKeyCode: Int?
            public var nativeVirtualKeyCode: Int?
            public var autoRepeat: Bool?
            public var location: Int?
            /// Editing commands to run with the key, e.g. `selectAll`.
            public var commands: [String]?
            public init(
                type: String, modifiers: Int? = nil, text: String? = nil, unmodifiedText: String? = nil, key: String? = nil,
                code: String? = nil, windowsVirtualKeyCode: Int? = nil, nativeVirtualKeyCode: Int? = nil, autoRepeat: Bool? = nil,
                location: Int? = nil, commands: [String]? = nil
            ) {
                self.type = type
                self.modifiers = modifiers
                self.text = text
                self.unmodifiedText = unmodifiedText
                self.key = key
                self.code = code
                self.windowsVirtualKeyCode = windowsVirtualKeyCode
                self.nativeVirtualKeyCode = nativeVirtualKeyCode
                self.autoRepeat = autoRepeat
                self.location = location
                self.commands = commands
            }
        }

        public struct InsertText: CDPCommand {
            public static let method = "Input.insertText"
            public typealias Response = EmptyResponse
            public var text: String
            public init(text: String) { self.text = text }
        }
    }
}
