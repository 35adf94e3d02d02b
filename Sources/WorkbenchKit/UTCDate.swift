/// Dates for views, computed from simulated milliseconds.
public enum UTCDate {
    /// `2009-01-03T18:15:05Z`, or `…05.250Z` when there are milliseconds (RFC 3339, UTC), computed from milliseconds with Howard Hinnant's
    /// `civil_from_days` algorithm (proleptic Gregorian calendar): no time zone, no formatter, no clock.
    public static func string(ms: Int64) -> String {
        // Years 0000 to 9999 only; anything else (a tampered timestamp, say) is shown as it is.
        guard ms >= -62_167_219_200_000, ms < 253_402_300_800_000 else { return "\(ms) ms since 1970" }
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let millis = ms - seconds * 1000
        let fraction = millis == 0 ? "" : "." + String(String(millis + 1000).dropFirst())
        return "\(year)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60))\(fraction)Z"
    }
}
