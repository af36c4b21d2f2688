/// The locator engine's entry points (`E.<name>` in `Engine/js`), the only names Swift calls it by.
/// `EngineScriptTests` checks that this list and the script's `E.` assignments are the same.
enum EngineFunction: String, CaseIterable, Sendable {
    // actionability.js
    case armHitGuard, disarmHitGuard, actionable
    // conditions.js
    case waitCondition, hasText, explain
    // actions.js
    case resolveElement, focus, frameTarget, frameObstruction, focusOnly, value, isChecked, checkedStateOf, isNativeSelect, selectNative, fileInput, read, configure
}
