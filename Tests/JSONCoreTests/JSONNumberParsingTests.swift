import Testing
@testable import JSONCore

@Suite struct JSONNumberParsingTests {
    @Test func integersAtTheLimitsStayIntegers() throws {
        #expect(try JSON.parse("9223372036854775807") == .integer(Int.max))
        #expect(try JSON.parse("-9223372036854775808") == .integer(Int.min))
        #expect(try JSON.parse("999999999999999999") == .integer(999_999_999_999_999_999))
        #expect(try JSON.parse("-1000000000000000000") == .integer(-1_000_000_000_000_000_000))
        #expect(try JSON.parse("[0,-1,42,-42]") == [0, -1, 42, -42])
    }

    @Test func integersBeyondIntBecomeDoubles() throws {
        #expect(try JSON.parse("9223372036854775808") == .number(9_223_372_036_854_775_808.0))
        #expect(try JSON.parse("-9223372036854775809") == .number(-9_223_372_036_854_775_809.0))
        #expect(try JSON.parse("123456789012345678901234567890") == .number(1.2345678901234568e29))
    }

    @Test func negativeZeroIsTheIntegerZeroUnlessWrittenAsANumber() throws {
        #expect(try JSON.parse("-0") == .integer(0))
        let value = try #require(try JSON.parse("-0.0").doubleValue)
        #expect(value == 0 && value.sign == .minus)
        #expect(try JSON.parse("-0e5").doubleValue?.sign == .minus)
    }

    @Test func exponentsAndFractions() throws {
        #expect(try JSON.parse("1e2") == .number(100))
        #expect(try JSON.parse("1E+2") == .number(100))
        #expect(try JSON.parse("1e-2") == .number(0.01))
        #expect(try JSON.parse("2.5e-3") == .number(0.0025))
        #expect(try JSON.parse("0.000123") == .number(0.000123))
        #expect(try JSON.parse("1790000000.400123") == .number(1_790_000_000.400123))
        #expect(try JSON.parse("1e22") == .number(1e22))
        #expect(try JSON.parse("1e23") == .number(1e23))
        #expect(try JSON.parse("1.7976931348623157e308") == .number(.greatestFiniteMagnitude))
        #expect(try JSON.parse("5e-324") == .number(.leastNonzeroMagnitude))
        #expect(try JSON.parse("1e400") == .number(.infinity))
        #expect(try JSON.parse("1e-400") == .number(0))
        #expect(try JSON.parse("0.30000000000000004") == .number(0.30000000000000004))
        #expect(try JSON.parse("1.00000000000000000000000000001") == .number(1))
        #expect(try JSON.parse("1.0") == .number(1))
    }

    @Test func decimalsReadTheSameAsDoubleFromString() throws {
        // A fixed pseudo-random spread of significands and exponents, with and without fractions.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        for _ in 0..<20_000 {
            let digits = String(next() % (next() % 2 == 0 ? 1 << 53 : UInt64.max))
            let point = Int(next() % UInt64(digits.count + 1))
            var text = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            if text.hasPrefix(".") { text = "0" + text }
            if text.hasSuffix(".") { text += "0" }
            if next() % 2 == 0 { text += "e\(Int(next() % 61) - 30)" }
            if next() % 2 == 0 { text = "-" + text }
            let parsed = try JSON.parse(text)
            #expect(parsed == .number(Double(text)!), "\(text)")
        }
    }

    @Test func malformedNumbersAreRejectedAtTheirStart() {
        for text in ["01", "-", "-a", "1.", "1.e5", "1e", "1e+", ".5", "+1", "0x10", "1.5.2"] {
            do {
                _ = try JSON.parse("[ " + text + "]")
                Issue.record("expected an error for \(text)")
            } catch {
                #expect(error.offset >= 2, "\(text): \(error)")
            }
        }
        do {
            _ = try JSON.parse("[ 1.e5]")
        } catch {
            #expect(error.offset == 2 && error.message.contains("after '.'"))
        }
    }
}
