// Image-name normalization as BuildKit does it before resolving a base image:
// distribution/reference `ParseNormalizedNamed` followed by `TagNameOnly` (convert.go
// `resolveBaseImage`). `alpine` -> `docker.io/library/alpine:latest`.

enum ImageReference {
    /// The registry Docker Hub images live on (`reference.defaultDomain`).
    static let defaultDomain = "docker.io"

    /// Normalizes `name` the way BuildKit names a base image: the Docker Hub domain and the
    /// `library/` namespace are made explicit and a missing tag becomes `latest` (a digest alone
    /// gets no tag). Returns distribution/reference's error text when the name is not a valid
    /// reference.
    static func normalize(_ name: String) -> Result<String, DockerfileError> {
        let scalars = name.scalars
        if scalars.count == 64, scalars.allSatisfy(\.isLowerHexDigit) {
            return .failure(DockerfileError(message:
                "invalid repository name (\(name)), cannot specify 64-byte hexadecimal strings"))
        }
        var (domain, remainder) = splitDockerDomain(name)
        // The "remote name" is cut at the first colon, as reference.ParseNormalizedNamed does
        // (so a digest's `sha256:` is cut too); only its casing is checked here.
        let remoteName = remainder.firstIndex(of: ":").map { String(remainder[..<$0]) } ?? remainder
        if remoteName.goLowercased != remoteName {
            return .failure(DockerfileError(message:
                "invalid reference format: repository name (\(remoteName)) must be lowercase"))
        }
        if domain == "index.docker.io" { domain = defaultDomain }

        // Split `path[:tag][@digest]`.
        var rest = remainder
        var digest: String?
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = String(rest[..<at])
        }
        var tag: String?
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            tag = String(rest[rest.index(after: colon)...])
            rest = String(rest[..<colon])
        }
        let components = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard isValidDomain(domain), !components.isEmpty, components.allSatisfy(isValidPathComponent),
              tag.map(isValidTag) ?? true, digest.map(isValidDigest) ?? true else {
            return .failure(DockerfileError(message: "invalid reference format"))
        }
        let fullName = domain + "/" + rest
        if fullName.utf8.count > 255 {
            return .failure(DockerfileError(message: "repository name must not be more than 255 characters"))
        }
        var out = fullName
        if let tag { out += ":" + tag }
        if let digest { out += "@" + digest }
        if tag == nil, digest == nil { out += ":latest" }
        return .success(out)
    }

    /// reference's `splitDockerDomain`: the first component is a registry when it holds a `.` or
    /// a `:`, is `localhost`, or has upper-case letters; otherwise the name is on Docker Hub, under
    /// `library/` when it has a single component.
    private static func splitDockerDomain(_ name: String) -> (String, String) {
        guard let slash = name.firstIndex(of: "/") else {
            return (defaultDomain, "library/" + name)
        }
        let first = String(name[..<slash])
        let isDomain = first.contains(".") || first.contains(":") || first == "localhost"
            || first.goLowercased != first
        guard isDomain else {
            return (defaultDomain, name)
        }
        let remainder = String(name[name.index(after: slash)...])
        if (first == defaultDomain || first == "index.docker.io"), !remainder.contains("/") {
            return (defaultDomain, "library/" + remainder)
        }
        return (first, remainder)
    }

    /// `host[:port]`, host being dot-separated labels of letters, digits and inner `-`, or an
    /// IPv6 address in brackets.
    private static func isValidDomain(_ domain: String) -> Bool {
        var host = Substring(domain)
        if let colon = domain.lastIndex(of: ":"), !domain.hasSuffix("]") {
            let port = domain[domain.index(after: colon)...]
            guard !port.isEmpty, port.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            host = domain[..<colon]
        }
        if host.hasPrefix("[") {
            return host.hasSuffix("]") && host.count > 2
                && host.dropFirst().dropLast().allSatisfy { $0.isHexDigit || $0 == ":" }
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            guard let first = label.first, let last = label.last else { return false }
            return first.isASCIIAlphanumeric && last.isASCIIAlphanumeric
                && label.allSatisfy { $0.isASCIIAlphanumeric || $0 == "-" }
        }
    }

    /// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`.
    private static func isValidPathComponent(_ component: String) -> Bool {
        let chars = Array(component)
        var index = 0
        func alphanumericRun() -> Bool {
            let start = index
            while index < chars.count, chars[index].isLowerAlphanumeric { index += 1 }
            return index > start
        }
        guard alphanumericRun() else { return false }
        while index < chars.count {
            switch chars[index] {
            case ".":
                index += 1
            case "_":
                index += 1
                if index < chars.count, chars[index] == "_" { index += 1 }
            case "-":
                while index < chars.count, chars[index] == "-" { index += 1 }
            default:
                return false
            }
            guard alphanumericRun() else { return false }
        }
        return true
    }

    /// `[\w][\w.-]{0,127}`.
    private static func isValidTag(_ tag: String) -> Bool {
        guard let first = tag.first, tag.count <= 128, first.isWordCharacter else { return false }
        return tag.allSatisfy { $0.isWordCharacter || $0 == "." || $0 == "-" }
    }

    /// `algorithm:hex`, the algorithm `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*`, at
    /// least 32 hex digits.
    private static func isValidDigest(_ digest: String) -> Bool {
        guard let colon = digest.firstIndex(of: ":") else { return false }
        let algorithm = digest[..<colon]
        let hex = digest[digest.index(after: colon)...]
        guard hex.count >= 32, hex.allSatisfy(\.isHexDigit) else { return false }
        let parts = algorithm.split(omittingEmptySubsequences: false) { "-_+.".contains($0) }
        return parts.allSatisfy { part in
            guard let first = part.first, first.isASCII, first.isLetter else { return false }
            return part.allSatisfy(\.isASCIIAlphanumeric)
        }
    }
}

extension Character {
    fileprivate var isASCIIAlphanumeric: Bool { isASCII && (isLetter || isNumber) }
    fileprivate var isLowerAlphanumeric: Bool { isASCII && (isLowercase || isNumber) }
    fileprivate var isWordCharacter: Bool { isASCIIAlphanumeric || self == "_" }
}

extension Unicode.Scalar {
    fileprivate var isLowerHexDigit: Bool { ("0"..."9").contains(self) || ("a"..."f").contains(self) }
}
