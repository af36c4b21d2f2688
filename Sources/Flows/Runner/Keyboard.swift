import DevTools
import JSONCore

/// One key of a US keyboard as `Input.dispatchKeyEvent` wants it.
struct KeyDefinition: Sendable {
    let key: String
    let code: String
    let keyCode: Int
    /// What the key types; nil for keys that type nothing.
    let text: String?
    let location: Int

    init(key: String, code: String, keyCode: Int, text: String? = nil, location: Int = 0) {
        self.key = key
        self.code = code
        self.keyCode = keyCode
        self.text = text
        self.location = location
    }
}

struct KeyboardError: Error, CustomStringConvertible {
    let description: String
}

/// Trusted key presses and typing through `Input.dispatchKeyEvent` / `Input.insertText`.
struct Keyboard {
    let session: CDPSession

    static let modifierBits: [String: Int] = ["Alt": 1, "Control": 2, "Meta": 4, "Shift": 8]

    static let aliases: [String: String] = [
        "Ctrl": "Control", "Cmd": "Meta", "Command": "Meta", "Option": "Alt", "Esc": "Escape", "Return": "Enter",
        "Space": " ", "Up": "ArrowUp", "Down": "ArrowDown", "Left": "ArrowLeft", "Right": "ArrowRight", "Del": "Delete",
        "Spacebar": " ",
    ]

    static let named: [String: KeyDefinition] = {
        var keys: [String: KeyDefinition] = [
            "Enter": KeyDefinition(key: "Enter", code: "Enter", keyCode: 13, text: "\r"),
            "Tab": KeyDefinition(key: "Tab", code: "Tab", keyCode: 9),
            "Backspace": KeyDefinition(key: "Backspace", code: "Backspace", keyCode: 8),
            "Delete": KeyDefinition(key: "Delete", code: "Delete", keyCode: 46),
            "Escape": KeyDefinition(key: "Escape", code: "Escape", keyCode: 27),
            "ArrowLeft": KeyDefinition(key: "ArrowLeft", code: "ArrowLeft", keyCode: 37),
            "ArrowUp": KeyDefinition(key: "ArrowUp", code: "ArrowUp", keyCode: 38),
            "ArrowRight": KeyDefinition(key: "ArrowRight", code: "ArrowRight", keyCode: 39),
            "ArrowDown": KeyDefinition(key: "ArrowDown", code: "ArrowDown", keyCode: 40),
            "Home": KeyDefinition(key: "Home", code: "Home", keyCode: 36),
            "End": KeyDefinition(key: "End", code: "End", keyCode: 35),
            "PageUp": KeyDefinition(key: "PageUp", code: "PageUp", keyCode: 33),
            "PageDown": KeyDefinition(key: "PageDown", code: "PageDown", keyCode: 34),
            "Insert": KeyDefinition(key: "Insert", code: "Insert", keyCode: 45),
            "Shift": KeyDefinition(key: "Shift", code: "ShiftLeft", keyCode: 16, location: 1),
            "Control": KeyDefinition(key: "Control", code: "ControlLeft", keyCode: 17, location: 1),
            "Alt": KeyDefinition(key: "Alt", code: "AltLeft", keyCode: 18, location: 1),
            "Meta": KeyDefinition(key: "Meta", code: "MetaLeft", keyCode: 91, location: 1),
            " ": KeyDefinition(key: " ", code: "Space", keyCode: 32, text: " "),
        ]
        for number in 1...12 { keys["F\(number)"] = KeyDefinition(key: "F\(number)", code: "F\(number)", keyCode: 111 + number) }
        return keys
    }()

    /// Printable characters: (unshifted, shifted, code, keyCode).
    static let printable: [Character: (KeyDefinition, shifted: Bool)] = {
        var table: [Character: (KeyDefinition, shifted: Bool)] = [:]
        for scalar in UnicodeScalar("a").value...UnicodeScalar("z").value {
            let lower = String(UnicodeScalar(scalar)!)
            let upper = lower.uppercased()
            let code = "Key\(upper)"
            let keyCode = Int(scalar) - 32
            table[Character(lower)] = (KeyDefinition(key: lower, code: code, keyCode: keyCode, text: lower), false)
            table[Character(upper)] = (KeyDefinition(key: upper, code: code, keyCode: keyCode, text: upper), true)
        }
        let digitsShifted = Array(")!@#$%^&*(")
        for digit in 0...9 {
            let key = String(digit)
            table[Character(key)] = (KeyDefinition(key: key, code: "Digit\(digit)", keyCode: 48 + digit, text: key), false)
            let shifted = String(digitsShifted[digit])
            table[Character(shifted)] = (KeyDefinition(key: shifted, code: "Digit\(digit)", keyCode: 48 + digit, text: shifted), true)
        }
        let punctuation: [(Character, Character, String, Int)] = [
            ("-", "_", "Minus", 189), ("=", "+", "Equal", 187), ("[", "{", "BracketLeft", 219), ("]", "}", "BracketRight", 221),
            ("\\", "|", "Backslash", 220), (";", ":", "Semicolon", 186), ("'", "\"", "Quote", 222), (",", "<", "Comma", 188),
            (".", ">", "Period", 190), ("/", "?", "Slash", 191), ("`", "~", "Backquote", 192),
        ]
        for (plain, shifted, code, keyCode) in punctuation {
            table[plain] = (KeyDefinition(key: String(plain), code: code, keyCode: keyCode, text: String(plain)), false)
            table[shifted] = (KeyDefinition(key: String(shifted), code: code, keyCode: keyCode, text: String(shifted)), true)
        }
        table[" "] = (named[" "]!, false)
        table["\n"] = (named["Enter"]!, false)
        table["\r"] = (named["Enter"]!, false)
        table["\t"] = (named["Tab"]!, false)
        return table
    }()

    static func definition(for name: String) throws(KeyboardError) -> KeyDefinition {
        let resolved = aliases[name] ?? name
        if let key = named[resolved] { return key }
        if resolved.count == 1, let (key, _) = printable[Character(resolved)] { return key }
        if resolved.count == 1 {
            return KeyDefinition(key: resolved, code: "", keyCode: 0, text: resolved)
        }
        throw KeyboardError(description: "unknown key `\(name)` (keys: Enter, Tab, Escape, Backspace, Delete, Arrow*, Home, End, PageUp, PageDown, F1-F12, a single character; modifiers Control, Shift, Alt, Meta)")
    }

    /// `Control+A`, `Shift+Tab`, `Enter`, `Control++`.
    static func parseChord(_ chord: String) throws(KeyboardError) -> (modifiers: [String], key: KeyDefinition) {
        var parts = chord.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
        if chord.hasSuffix("++") {
            parts.removeLast(2)
            parts.append("+")
        }
        guard let last = parts.last, !last.isEmpty else { throw KeyboardError(description: "empty key in `\(chord)`") }
        var modifiers: [String] = []
        for part in parts.dropLast() {
            let name = aliases[part] ?? part
            guard modifierBits[name] != nil else {
                throw KeyboardError(description: "`\(part)` in `\(chord)` is not a modifier (Control, Shift, Alt, Meta)")
            }
            modifiers.append(name)
        }
        return (modifiers, try definition(for: last))
    }

    func press(_ chord: String) async throws {
        let (modifiers, key) = try Self.parseChord(chord)
        var bits = 0
        for modifier in modifiers {
            bits |= Self.modifierBits[modifier]!
            try await dispatch("rawKeyDown", Self.named[modifier]!, modifiers: bits, text: nil)
        }
        // Like a real keyboard: the letter's case follows Shift, not how the chord spells it.
        var definition = key
        if !modifiers.isEmpty, key.code.hasPrefix("Key") || key.code.hasPrefix("Digit") {
            let shifted = modifiers.contains("Shift")
            definition = Self.printable.first { $0.value.0.code == key.code && $0.value.shifted == shifted }?.value.0 ?? key
        }
        // With Control, Alt or Meta held a key types nothing; the page sees a shortcut.
        let typesText = bits & ~Self.modifierBits["Shift"]! == 0 ? definition.text : nil
        try await dispatch(typesText == nil ? "rawKeyDown" : "keyDown", definition, modifiers: bits, text: typesText)
        try await dispatch("keyUp", definition, modifiers: bits, text: nil)
        for modifier in modifiers.reversed() {
            bits &= ~Self.modifierBits[modifier]!
            try await dispatch("keyUp", Self.named[modifier]!, modifiers: bits, text: nil)
        }
    }

    /// Key by key; characters not on a US keyboard go through `Input.insertText`.
    func type(_ text: String, delay: Duration?) async throws {
        for character in text {
            if let (key, _) = Self.printable[character] {
                try await dispatch("keyDown", key, modifiers: 0, text: key.text)
                try await dispatch("keyUp", key, modifiers: 0, text: nil)
            } else {
                try await insertText(String(character))
            }
            if let delay { try await Task.sleep(for: delay) }
        }
    }

    func insertText(_ text: String) async throws {
        _ = try await session.send("Input.insertText", ["text": .string(text)])
    }

    private func dispatch(_ type: String, _ key: KeyDefinition, modifiers: Int, text: String?) async throws {
        var params: [String: JSON] = [
            "type": .string(type), "modifiers": .integer(modifiers), "key": .string(key.key), "code": .string(key.code),
            "windowsVirtualKeyCode": .integer(key.keyCode), "nativeVirtualKeyCode": .integer(key.keyCode),
            "location": .integer(key.location),
        ]
        if let text {
            params["text"] = .string(text)
            params["unmodifiedText"] = .string(text)
        }
        _ = try await session.send("Input.dispatchKeyEvent", .object(params))
    }
}

/// Trusted mouse input at page coordinates.
struct Mouse {
    let session: CDPSession

    func move(x: Double, y: Double, modifiers: Int = 0) async throws {
        _ = try await session.send(
            "Input.dispatchMouseEvent", ["type": "mouseMoved", "x": .number(x), "y": .number(y), "button": "none", "modifiers": .integer(modifiers)])
    }

    /// A right button gives `contextmenu`, a middle one `auxclick`; modifiers set the events' `shiftKey`,
    /// `ctrlKey`, `altKey` and `metaKey` (the keys themselves are not pressed).
    func click(x: Double, y: Double, clickCount: Int = 1, press: PointerPress = .plain) async throws {
        let modifiers = press.modifierBits
        try await move(x: x, y: y, modifiers: modifiers)
        let held: Int
        switch press.button {
        case .left: held = 1
        case .right: held = 2
        case .middle: held = 4
        }
        for count in 1...clickCount {
            let common: [String: JSON] = [
                "x": .number(x), "y": .number(y), "button": .string(press.button.rawValue), "clickCount": .integer(count), "modifiers": .integer(modifiers),
            ]
            _ = try await session.send("Input.dispatchMouseEvent", .object(common.merging(["type": "mousePressed", "buttons": .integer(held)]) { $1 }))
            _ = try await session.send("Input.dispatchMouseEvent", .object(common.merging(["type": "mouseReleased", "buttons": 0]) { $1 }))
        }
    }
}
