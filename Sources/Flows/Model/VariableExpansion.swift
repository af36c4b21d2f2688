/// Limits on what `${vars.…}` may expand to, checked when a flow is decoded so that `validate` and
/// `run` refuse the same flows: a cycle among a flow's vars, and vars that double each other into
/// gigabytes (`a` = `${vars.b}${vars.b}`, `b` = `${vars.c}${vars.c}`, …) from a 2 KB file.
public enum VariableExpansion {
    /// The most one interpolated value may hold, in UTF-8 bytes.
    public static let maximumLength = 1 << 20

    static func check(_ vars: [String: String]) throws(FlowValueError) {
        var lengths: [String: Int] = [:]
        for name in vars.keys.sorted() {
            var path: [String] = []
            _ = try expandedLength(of: name, in: vars, lengths: &lengths, path: &path)
        }
    }

    /// Saturates instead of overflowing: only "more than the limit" matters.
    private static func expandedLength(
        of name: String, in vars: [String: String], lengths: inout [String: Int], path: inout [String]
    ) throws(FlowValueError) -> Int {
        if let known = lengths[name] { return known }
        if let start = path.firstIndex(of: name) {
            throw FlowValueError("`vars` refer to each other in a cycle: \((path[start...] + [name]).joined(separator: " -> "))")
        }
        guard let text = vars[name] else { return 0 }
        path.append(name)
        var total = text.utf8.count
        for reference in Interpolator.references(to: "vars", in: text) {
            total = min(total + (try expandedLength(of: reference, in: vars, lengths: &lengths, path: &path)), Int.max / 4)
        }
        path.removeLast()
        if total > maximumLength {
            throw FlowValueError("`vars.\(name)` would expand to more than \(maximumLength >> 20) MB (\(total) bytes)")
        }
        lengths[name] = total
        return total
    }
}
