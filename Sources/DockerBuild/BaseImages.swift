// The base images the evaluator knows, each as a small representative tree whose file sizes add
// up to the image's uncompressed size.
//
// The sizes are approximations, rounded, of what `docker images` reports on linux/amd64 for
// these tags, and the compressed sizes of what the Docker Hub tag pages list
// (hub.docker.com/_/<name>/tags). Tags move: treat the numbers as the order of magnitude a
// learner should expect (alpine ~7 MB, a Go or Node toolchain ~1 GB), not as a registry lookup.
// Each tree names the files a lesson talks about (`/bin/busybox`, `/usr/local/go/bin/go`) and
// puts the rest of the bytes into one filler file, so sums stay exact.

/// One image of the catalogue.
public struct BaseImage: Codable, Equatable, Sendable {
    /// The normalized reference (`docker.io/library/alpine:3.19`).
    public var reference: String
    /// Uncompressed size, as `docker images` shows it: the sum of `files`.
    public var sizeBytes: Int
    /// Compressed (download) size, as the Docker Hub tag page shows it.
    public var compressedBytes: Int
    /// The representative tree, sorted by path.
    public var files: [FileEntry]
    /// The image config's environment, `KEY=value`.
    public var env: [String]
    public var workdir: String
    public var cmd: [String]?
    public var entrypoint: [String]?
    /// Where the sizes come from.
    public var source: String
}

public enum BaseImages {
    /// The catalogue entry for `reference` (`alpine`, `golang:1.16`, `docker.io/library/node:20`),
    /// after BuildKit's normalization; a `@sha256:` digest is ignored. Nil when unknown.
    public static func image(_ reference: String) -> BaseImage? {
        if reference == "scratch" { return byReference["scratch"] }
        guard case .success(var normalized) = ImageReference.normalize(reference) else { return nil }
        if let at = normalized.firstIndex(of: "@") {
            normalized = String(normalized[..<at])
            if !(normalized.split(separator: "/").last ?? "").contains(":") { normalized += ":latest" }
        }
        return byReference[normalized]
    }

    /// Every image, sorted by reference.
    public static var catalogue: [BaseImage] { all }

    /// True when the repository (without tag) is in the catalogue: BuildKit then fails on the
    /// tag (`...: not found`), otherwise on the repository (`pull access denied`).
    static func knowsRepository(_ normalized: String) -> Bool {
        let repository = normalized.split(separator: "@").first.map { String($0) } ?? normalized
        let name = repository.lastIndex(of: ":").map { String(repository[..<$0]) } ?? repository
        return all.contains { $0.reference.hasPrefix(name + ":") }
    }

    private static let byReference: [String: BaseImage] = {
        var table: [String: BaseImage] = [:]
        for image in all { table[image.reference] = image }
        return table
    }()

    private static let mb = 1_000_000

    private static let all: [BaseImage] = {
        let path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        var images: [BaseImage] = []

        // alpine: busybox, musl and apk. 7.38 MB uncompressed, 3.41 MB compressed (3.19).
        let alpineFiles: [(String, Int)] = [
            ("/bin/busybox", 808_712), ("/bin/sh", 12), ("/lib/ld-musl-x86_64.so.1", 667_384),
            ("/lib/libcrypto.so.3", 4_427_064), ("/lib/libssl.so.3", 608_384), ("/lib/libz.so.1", 100_896),
            ("/etc/alpine-release", 7), ("/etc/apk/repositories", 103), ("/etc/apk/world", 57),
            ("/etc/apk/keys/alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub", 800),
            ("/lib/apk/db/installed", 26_184), ("/sbin/apk", 65_904), ("/usr/bin/env", 12),
            ("/usr/bin/wget", 12), ("/etc/os-release", 164), ("/etc/passwd", 1_172),
        ]
        for tag in ["3.19", "latest"] {
            images.append(make("alpine:\(tag)", total: 7_380_000, compressed: 3_410_000, files: alpineFiles,
                               filler: "/usr/lib/libapk.so.2", env: ["PATH=" + path], cmd: ["/bin/sh"],
                               source: "Docker Hub alpine:3.19 (3.41 MB compressed); `docker images`: 7.38 MB"))
        }

        // Debian and Ubuntu: glibc, bash, dpkg and apt.
        let debianFiles: [(String, Int)] = [
            ("/bin/bash", 1_265_648), ("/bin/sh", 125_688), ("/lib/x86_64-linux-gnu/libc.so.6", 1_922_136),
            ("/lib64/ld-linux-x86-64.so.2", 210_968), ("/usr/bin/apt-get", 51_352),
            ("/usr/lib/x86_64-linux-gnu/libapt-pkg.so.6.0", 2_290_000), ("/usr/bin/dpkg", 320_000),
            ("/etc/debian_version", 5), ("/etc/os-release", 267), ("/etc/passwd", 922),
            ("/etc/apt/apt.conf.d/docker-clean", 480), ("/var/lib/dpkg/status", 70_000),
        ]
        images.append(make("debian:bookworm", total: 116_500_000, compressed: 49_560_000, files: debianFiles,
                           filler: "/usr/share/doc-and-locales", env: ["PATH=" + path], cmd: ["bash"],
                           source: "Docker Hub debian:bookworm (49.6 MB compressed); `docker images`: ~117 MB"))
        images.append(make("debian:bookworm-slim", total: 74_800_000, compressed: 28_230_000, files: debianFiles,
                           filler: "/usr/lib/x86_64-linux-gnu/rest", env: ["PATH=" + path], cmd: ["bash"],
                           source: "Docker Hub debian:bookworm-slim (28.2 MB compressed); `docker images`: ~75 MB"))
        for (tag, total, compressed) in [("22.04", 77_900_000, 29_540_000), ("24.04", 78_100_000, 29_750_000)] {
            images.append(make("ubuntu:\(tag)", total: total, compressed: compressed, files: debianFiles,
                               filler: "/usr/lib/x86_64-linux-gnu/rest", env: ["PATH=" + path], cmd: ["/bin/bash"],
                               source: "Docker Hub ubuntu:\(tag) (~\(compressed / mb) MB compressed); `docker images`: ~78 MB"))
        }

        // golang: buildpack-deps (gcc, git, headers) plus the Go distribution under /usr/local/go.
        let goPath = "/go/bin:/usr/local/go/bin:" + path
        for (tag, version, total, compressed) in [
            ("1.16", "1.16.15", 919_000_000, 330_000_000), ("1.21", "1.21.13", 814_000_000, 290_000_000),
            ("1.22", "1.22.12", 838_000_000, 300_000_000),
        ] {
            let goFiles = debianFiles + [
                ("/usr/local/go/bin/go", 14_500_000), ("/usr/local/go/bin/gofmt", 3_600_000),
                ("/usr/local/go/pkg/tool/linux_amd64/compile", 24_000_000),
                ("/usr/local/go/pkg/tool/linux_amd64/link", 6_700_000),
                ("/usr/local/go/pkg/linux_amd64/std.a", 95_000_000), ("/usr/local/go/src/stdlib", 120_000_000),
                ("/usr/local/go/VERSION", 8), ("/usr/bin/gcc-12", 1_200_000), ("/usr/bin/git", 3_800_000),
                ("/usr/lib/gcc/x86_64-linux-gnu/12/cc1", 32_000_000),
            ]
            images.append(make("golang:\(tag)", total: total, compressed: compressed, files: goFiles,
                               directories: ["/go/bin", "/go/src"], filler: "/usr/lib/x86_64-linux-gnu/buildpack-deps",
                               env: ["PATH=" + goPath, "GOLANG_VERSION=" + version, "GOPATH=/go"], workdir: "/go",
                               cmd: ["bash"],
                               source: "Docker Hub golang:\(tag) (~\(compressed / mb) MB compressed); `docker images`: ~\(total / mb) MB"))
        }

        // node: buildpack-deps with Node and npm; node:20-alpine on musl.
        let nodeFiles: [(String, Int)] = [
            ("/usr/local/bin/node", 96_000_000), ("/usr/local/bin/npm", 12),
            ("/usr/local/lib/node_modules/npm/package.json", 5_000),
            ("/usr/local/lib/node_modules/npm/lib/npm.js", 9_200_000),
            ("/usr/local/bin/docker-entrypoint.sh", 388),
        ]
        let nodeEnv = ["PATH=" + path, "NODE_VERSION=20.18.0", "YARN_VERSION=1.22.22"]
        images.append(make("node:20", total: 1_100_000_000, compressed: 390_000_000,
                           files: debianFiles + nodeFiles + [("/usr/bin/gcc-12", 1_200_000), ("/usr/bin/git", 3_800_000)],
                           filler: "/usr/lib/x86_64-linux-gnu/buildpack-deps", env: nodeEnv, entrypoint: ["docker-entrypoint.sh"],
                           cmd: ["node"], source: "Docker Hub node:20 (~390 MB compressed); `docker images`: ~1.1 GB"))
        images.append(make("node:20-alpine", total: 135_000_000, compressed: 43_000_000, files: alpineFiles + nodeFiles,
                           filler: "/usr/lib/libstdc++-and-icu", env: nodeEnv, entrypoint: ["docker-entrypoint.sh"],
                           cmd: ["node"], source: "Docker Hub node:20-alpine (~43 MB compressed); `docker images`: ~135 MB"))

        // python: CPython under /usr/local with pip.
        let pythonFiles: [(String, Int)] = [
            ("/usr/local/bin/python3.12", 17_000), ("/usr/local/bin/python3", 12), ("/usr/local/bin/pip", 230),
            ("/usr/local/lib/libpython3.12.so.1.0", 23_000_000),
            ("/usr/local/lib/python3.12/site-packages/pip/__init__.py", 13_000_000),
            ("/usr/local/lib/python3.12/stdlib", 45_000_000),
        ]
        let pythonEnv = ["PATH=/usr/local/bin:" + path, "LANG=C.UTF-8", "PYTHON_VERSION=3.12.7"]
        images.append(make("python:3.12", total: 1_020_000_000, compressed: 370_000_000,
                           files: debianFiles + pythonFiles + [("/usr/bin/gcc-12", 1_200_000), ("/usr/bin/git", 3_800_000)],
                           filler: "/usr/lib/x86_64-linux-gnu/buildpack-deps", env: pythonEnv, cmd: ["python3"],
                           source: "Docker Hub python:3.12 (~370 MB compressed); `docker images`: ~1.02 GB"))
        images.append(make("python:3.12-slim", total: 130_000_000, compressed: 45_000_000, files: debianFiles + pythonFiles,
                           filler: "/usr/lib/x86_64-linux-gnu/rest", env: pythonEnv, cmd: ["python3"],
                           source: "Docker Hub python:3.12-slim (~45 MB compressed); `docker images`: ~130 MB"))

        images.append(BaseImage(reference: "scratch", sizeBytes: 0, compressedBytes: 0,
                                files: [FileEntry(path: "/", size: 0, isDirectory: true)], env: [], workdir: "/",
                                cmd: nil, entrypoint: nil, source: "the empty filesystem (no download)"))
        return images.sorted { $0.reference < $1.reference }
    }()

    /// An image whose `files` sum to `total`: the named files plus one filler for the rest.
    private static func make(
        _ name: String, total: Int, compressed: Int, files: [(String, Int)], directories: [String] = [],
        filler: String, env: [String], workdir: String = "/", entrypoint: [String]? = nil, cmd: [String]?,
        source: String
    ) -> BaseImage {
        let reference = "docker.io/library/" + name
        let named = files.reduce(0) { $0 + $1.1 }
        precondition(named <= total, "the named files of \(name) exceed its size")
        var fs = BuildFileSystem()
        for directory in directories { fs.makeDirectory(directory) }
        for (path, size) in files + [(filler, total - named)] {
            let executable = path.contains("/bin/") || path.hasPrefix("/sbin/") || path.contains(".so")
            fs.put(FileEntry(path: path, size: size, mode: executable ? "0755" : "0644",
                             digest: BuildHash.hex("image-file", reference, path, String(size))))
        }
        return BaseImage(reference: reference, sizeBytes: total, compressedBytes: compressed, files: fs.sorted,
                         env: env, workdir: workdir, cmd: cmd, entrypoint: entrypoint, source: source)
    }
}
