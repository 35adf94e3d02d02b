// Go standard-library value parsers the instruction layer depends on: `encoding/csv` (RUN
// --mount values), `time.ParseDuration` and `strconv.ParseInt` (HEALTHCHECK options).

enum GoCSV {
    /// Reads one CSV record as Go's `csv.Reader.Read` does with default settings: fields split
    /// on `,`, a field that starts with `"` is quoted (`""` is a literal quote), a `"` inside an
    /// unquoted field is an error. Returns BuildKit-style error text on failure.
    static func record(_ text: String) -> Result<[String], DockerfileError> {
        let scalars = text.scalars
        guard !scalars.isEmpty else { return .failure(DockerfileError(message: "EOF")) }
        var fields: [String] = []
        var index = 0
        func failure(_ column: Int, _ reason: String) -> Result<[String], DockerfileError> {
            .failure(DockerfileError(message: "parse error on line 1, column \(column): \(reason)"))
        }
        while true {
            if index < scalars.count, scalars[index] == "\"" {
                // Quoted field.
                index += 1
                var field = Scalars()
                while true {
                    guard index < scalars.count else {
                        return failure(scalars.count + 1, "extraneous or missing \" in quoted-field")
                    }
                    let character = scalars[index]
                    index += 1
                    if character != "\"" {
                        field.append(character)
                        continue
                    }
                    if index < scalars.count, scalars[index] == "\"" {
                        field.append("\"")
                        index += 1
                        continue
                    }
                    if index == scalars.count {
                        fields.append(String(scalars: field))
                        return .success(fields)
                    }
                    if scalars[index] == "," {
                        index += 1
                        fields.append(String(scalars: field))
                        break
                    }
                    return failure(index, "extraneous or missing \" in quoted-field")
                }
                continue
            }
            let end = scalars[index...].firstIndex(of: ",") ?? scalars.count
            let field = Array(scalars[index..<end])
            if let quote = field.firstIndex(of: "\"") {
                return failure(index + quote + 1, "bare \" in non-quoted-field")
            }
            fields.append(String(scalars: field))
            if end == scalars.count { return .success(fields) }
            index = end + 1
        }
    }
}

enum GoDuration {
    /// Nanoseconds per unit, as `time.ParseDuration` knows them.
    private static let units: [String: UInt64] = [
        "ns": 1, "us": 1_000, "\u{00B5}s": 1_000, "\u{03BC}s": 1_000, "ms": 1_000_000,
        "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000,
    ]

    /// Go's `time.ParseDuration`: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, e.g. `1h30m`, `1.5s`, `0`.
    static func nanoseconds(_ text: String) -> Result<Int64, DockerfileError> {
        let invalid = DockerfileError(message: "time: invalid duration \(text.goQuoted)")
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return .success(0) }
        guard !rest.isEmpty else { return .failure(invalid) }
        var total: UInt64 = 0
        while !rest.isEmpty {
            guard let first = rest.first, first == "." || first.isASCII && first.isNumber else {
                return .failure(invalid)
            }
            let wholeDigits = rest.prefix(while: { $0.isASCII && $0.isNumber })
            rest = rest.dropFirst(wholeDigits.count)
            var fractionDigits = Substring()
            var hadFraction = false
            if rest.first == "." {
                rest = rest.dropFirst()
                fractionDigits = rest.prefix(while: { $0.isASCII && $0.isNumber })
                rest = rest.dropFirst(fractionDigits.count)
                hadFraction = !fractionDigits.isEmpty
            }
            guard !wholeDigits.isEmpty || hadFraction else { return .failure(invalid) }
            let unitText = rest.prefix(while: { $0 != "." && !($0.isASCII && $0.isNumber) })
            rest = rest.dropFirst(unitText.count)
            guard !unitText.isEmpty else {
                return .failure(DockerfileError(message: "time: missing unit in duration \(text.goQuoted)"))
            }
            guard let unit = units[String(unitText)] else {
                return .failure(DockerfileError(message:
                    "time: unknown unit \(String(unitText).goQuoted) in duration \(text.goQuoted)"))
            }
            guard let whole = wholeDigits.isEmpty ? 0 : UInt64(wholeDigits) else { return .failure(invalid) }
            let (scaled, overflow) = whole.multipliedReportingOverflow(by: unit)
            guard !overflow else { return .failure(invalid) }
            var value = scaled
            if hadFraction {
                // Go keeps the fraction's precision up to the unit (digits beyond are dropped).
                var fraction = 0.0
                var scale = 1.0
                for digit in fractionDigits.prefix(19) {
                    fraction = fraction * 10 + Double(digit.wholeNumberValue ?? 0)
                    scale *= 10
                }
                value += UInt64(fraction * (Double(unit) / scale))
            }
            let (sum, sumOverflow) = total.addingReportingOverflow(value)
            guard !sumOverflow, sum <= UInt64(Int64.max) else { return .failure(invalid) }
            total = sum
        }
        return .success(negative ? -Int64(total) : Int64(total))
    }
}

enum GoInteger {
    /// Go's `strconv.ParseInt(text, 10, 32)` with its error wording.
    static func int32(_ text: String) -> Result<Int, DockerfileError> {
        var digits = Substring(text)
        var negative = false
        if let sign = digits.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return .failure(DockerfileError(message: "strconv.ParseInt: parsing \(text.goQuoted): invalid syntax"))
        }
        guard let magnitude = Int64(digits), magnitude <= (negative ? 2_147_483_648 : 2_147_483_647) else {
            return .failure(DockerfileError(message: "strconv.ParseInt: parsing \(text.goQuoted): value out of range"))
        }
        return .success(Int(negative ? -magnitude : magnitude))
    }
}
