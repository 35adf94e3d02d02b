// The package managers and toolchains RUN models (go, apk, apt-get, npm, pip). Sizes are
// deterministic approximations of installed sizes (the package pages of pkgs.alpinelinux.org,
// packages.debian.org, pypi.org; Go module zips), rounded: they teach proportions, not bytes.

extension RunModel {
    // MARK: go

    /// The module of an import path: `golang.org/x/net/html` -> `golang.org/x/net`.
    static func module(of importPath: String) -> String {
        let parts = importPath.split(separator: "@").first.map { $0.split(separator: "/") } ?? []
        let hosted = ["github.com", "golang.org", "gitlab.com", "bitbucket.org", "go.uber.org", "gopkg.in"]
        if let host = parts.first, hosted.contains(String(host)), parts.count >= 3 {
            return parts.prefix(3).joined(separator: "/")
        }
        return parts.joined(separator: "/")
    }

    /// Approximate extracted size of a module in the module cache.
    static func moduleBytes(_ module: String) -> Int {
        let table: [String: Int] = [
            "golang.org/x/net": 11_600_000, "golang.org/x/text": 9_100_000, "golang.org/x/sys": 12_400_000,
            "golang.org/x/crypto": 6_300_000, "github.com/gin-gonic/gin": 1_900_000,
            "github.com/stretchr/testify": 1_200_000, "google.golang.org/grpc": 9_800_000,
        ]
        return table[module] ?? 4 * RunModel.mb
    }

    mutating func addModule(_ module: String) {
        let gopath = lookup("GOPATH") ?? "/go"
        let bytes = Self.moduleBytes(module)
        install([(gopath + "/pkg/mod/" + module + "@latest/module-tree", bytes),
                 (gopath + "/pkg/mod/cache/download/" + module + "/@v/latest.zip", bytes * 3 / 10)],
                package: module, tool: "go")
    }

    mutating func runGo(_ texts: [String], whole: String) throws(DockerfileError) {
        guard hasTool("go") else { throw failure(127, "/bin/sh: go: not found") }
        let gopath = lookup("GOPATH") ?? "/go"
        switch texts.first {
        case "get" where texts.count > 1, "install" where texts.count > 1:
            let packages = texts.dropFirst().filter { !$0.hasPrefix("-") }
            for package in packages { addModule(Self.module(of: package)) }
            notes.append("module sources go to \(gopath)/pkg/mod (sizes approximate); they stay in this stage's image")
        case "mod":
            guard texts.dropFirst().first == "download" else {
                notes.append("`\(whole)` is not modelled: the layer holds whatever it would write")
                return
            }
            guard let goMod = fs[path("go.mod")] else {
                throw failure(1, "go: go.mod file not found in current directory or any parent directory")
            }
            let modules = Self.requiredModules(goMod.content ?? "")
            for module in modules { addModule(module) }
            notes.append("downloads \(modules.count) module(s) listed in go.mod into \(gopath)/pkg/mod")
        case "build":
            try goBuild(Array(texts.dropFirst()))
        default:
            notes.append("`\(whole)` is not modelled: the layer holds whatever it would write")
        }
    }

    /// The `require` lines of a go.mod.
    static func requiredModules(_ text: String) -> [String] {
        var modules: [String] = []
        var inBlock = false
        for rawLine in text.split(separator: "\n") {
            let line = String(rawLine).trimmingBlanks
            if line.hasPrefix("require (") { inBlock = true; continue }
            if inBlock, line == ")" { inBlock = false; continue }
            let words = line.split(separator: " ").map(String.init)
            if inBlock, words.count >= 2, !line.hasPrefix("//") { modules.append(words[0]) }
            if !inBlock, words.first == "require", words.count >= 3 { modules.append(words[1]) }
        }
        return modules
    }

    /// `go build [-o out] [flags] [package]`: a binary of 7.4 MB plus the package's source bytes,
    /// whose digest comes from its inputs (sources, go.mod, module cache, flags, CGO_ENABLED), so
    /// identical inputs give an identical binary, as Go's reproducible builds do.
    mutating func goBuild(_ texts: [String]) throws(DockerfileError) {
        let valueFlags: Set<String> = ["-o", "-ldflags", "-tags", "-installsuffix", "-gcflags", "-mod", "-p", "-buildmode"]
        var output: String?
        var packages: [String] = []
        var index = 0
        while index < texts.count {
            let word = texts[index]
            if word == "-o", index + 1 < texts.count { output = texts[index + 1]; index += 2; continue }
            if word.hasPrefix("-o=") { output = String(word.dropFirst(3)) }
            else if valueFlags.contains(word) { index += 1 }
            else if !word.hasPrefix("-") { packages.append(word) }
            index += 1
        }
        let packageDir = path((packages.first ?? ".").replacingEvery("/...", with: ""))
        let sources = fs.tree(at: packageDir).filter {
            !$0.isDirectory && ($0.path.hasSuffix(".go") || $0.path.hasSuffix("/go.mod") || $0.path.hasSuffix("/go.sum"))
        }
        guard sources.contains(where: { $0.path.hasSuffix(".go") }) else {
            throw failure(1, "no Go files in \(packageDir)")
        }
        let gopath = lookup("GOPATH") ?? "/go"
        let modules = fs.tree(at: gopath + "/pkg/mod").filter { !$0.isDirectory }.map { $0.path + " " + $0.digest }
        let cgo = lookup("CGO_ENABLED") ?? "1"
        let sourceBytes = sources.reduce(0) { $0 + $1.size }
        var target = output.map(path) ?? BuildFileSystem.join(cwd, BuildFileSystem.baseName(packageDir))
        if fs.isDirectory(target) { target = BuildFileSystem.join(target, BuildFileSystem.baseName(packageDir)) }
        let digest = BuildHash.hex(["go-binary", "CGO_ENABLED=" + cgo] + texts + sources.map { $0.path + " " + $0.digest } + modules)
        fs.put(FileEntry(path: target, size: 7_400_000 + sourceBytes, owner: owner, mode: "0755", digest: digest))
        notes.append(cgo == "0"
            ? "CGO_ENABLED=0: \(target) is a static binary, safe to copy into alpine or scratch"
            : "CGO_ENABLED=\(cgo): \(target) links against glibc and will not start on alpine (musl) or scratch")
        notes.append("binary size modelled as 7.4 MB + \(sourceBytes) source bytes; its digest follows its inputs")
    }

    // MARK: apk

    static func apkFiles(_ package: String) -> [(String, Int)] {
        switch package {
        case "ca-certificates":
            return [("/etc/ssl/certs/ca-certificates.crt", 219_000), ("/usr/share/ca-certificates/mozilla/bundle", 463_000),
                    ("/usr/bin/update-ca-certificates", 18_000)]
        case "curl": return [("/usr/bin/curl", 251_000), ("/usr/lib/libcurl.so.4", 690_000), ("/usr/lib/libnghttp2.so.14", 170_000), ("/usr/lib/libbrotli.so.1", 700_000)]
        case "git": return [("/usr/bin/git", 3_500_000), ("/usr/libexec/git-core/bundle", 10_600_000), ("/usr/lib/libpcre2-8.so.0", 420_000)]
        case "bash": return [("/bin/bash", 1_200_000), ("/usr/lib/libreadline.so.8", 260_000)]
        case "tzdata": return [("/usr/share/zoneinfo/bundle", 3_300_000)]
        case "openssl": return [("/usr/bin/openssl", 790_000)]
        case "build-base": return [("/usr/bin/gcc", 900_000), ("/usr/libexec/gcc/x86_64-alpine-linux-musl/cc1", 38_000_000), ("/usr/lib/build-base-bundle", 190_000_000)]
        case "python3": return [("/usr/bin/python3", 14_000), ("/usr/lib/python3.11/bundle", 48_000_000)]
        case "nodejs": return [("/usr/bin/node", 48_000_000)]
        default: return [("/usr/lib/apk-packages/\(package)", 1 * RunModel.mb)]
        }
    }

    mutating func runApk(_ texts: [String]) throws(DockerfileError) {
        guard hasTool("apk") else { throw failure(127, "/bin/sh: apk: not found") }
        let noCache = texts.contains("--no-cache")
        let words = texts.filter { !$0.hasPrefix("-") }
        switch words.first {
        case "add":
            var skipVirtual = texts.contains("--virtual") || texts.contains("-t")
            for package in words.dropFirst() {
                if skipVirtual { skipVirtual = false; continue }
                install(Self.apkFiles(package), package: package, tool: "apk")
                grow("/lib/apk/db/installed", by: 1_200, tool: "apk", marker: package)
                if !["ca-certificates", "curl", "git", "bash", "tzdata", "openssl", "build-base", "python3", "nodejs"].contains(package) {
                    notes.append("apk package \(package) is not in the size table: 1 MB assumed")
                }
            }
            if noCache {
                notes.append("--no-cache: the package index is fetched to a temporary place and not kept")
            } else {
                addApkIndex()
                notes.append("without --no-cache the APKINDEX files stay in /var/cache/apk (~2.4 MB): use `apk add --no-cache`")
            }
        case "update":
            addApkIndex()
        case "del":
            for package in words.dropFirst() {
                for (file, _) in Self.apkFiles(package) { fs.remove(file) }
            }
        default:
            notes.append("`apk \(texts.joined(separator: " "))` is not modelled: the layer holds whatever it would write")
        }
    }

    mutating func addApkIndex() {
        install([("/var/cache/apk/APKINDEX.main.tar.gz", 1_400_000), ("/var/cache/apk/APKINDEX.community.tar.gz", 1_000_000)],
                package: "index", tool: "apk")
    }

    // MARK: apt-get

    static func aptFiles(_ package: String) -> [(String, Int)]? {
        switch package {
        case "ca-certificates": return [("/etc/ssl/certs/ca-certificates.crt", 219_000), ("/usr/share/ca-certificates/mozilla/bundle", 430_000)]
        case "curl": return [("/usr/bin/curl", 280_000), ("/usr/lib/x86_64-linux-gnu/libcurl.so.4", 780_000), ("/usr/lib/x86_64-linux-gnu/curl-deps", 3_900_000)]
        case "git": return [("/usr/bin/git", 3_900_000), ("/usr/lib/git-core/bundle", 41_000_000)]
        case "build-essential": return [("/usr/bin/gcc-12", 1_200_000), ("/usr/lib/gcc/x86_64-linux-gnu/12/cc1", 32_000_000), ("/usr/lib/build-essential-bundle", 205_000_000)]
        case "python3": return [("/usr/bin/python3.11", 6_800_000), ("/usr/lib/python3.11/bundle", 23_000_000)]
        case "wget": return [("/usr/bin/wget", 1_000_000), ("/usr/lib/x86_64-linux-gnu/wget-deps", 2_500_000)]
        case "vim": return [("/usr/bin/vim.basic", 3_800_000), ("/usr/share/vim/bundle", 36_000_000)]
        default: return nil
        }
    }

    mutating func runApt(_ texts: [String]) throws(DockerfileError) {
        guard hasTool("apt-get") else { throw failure(127, "/bin/sh: apt-get: not found") }
        let words = texts.filter { !$0.hasPrefix("-") }
        switch words.first {
        case "update":
            install([("/var/lib/apt/lists/deb.debian.org_debian_dists_main_binary-amd64_Packages.lz4", 37_000_000),
                     ("/var/lib/apt/lists/deb.debian.org_debian_dists_InRelease-and-updates", 3_000_000)],
                    package: "lists", tool: "apt")
            notes.append("apt-get update stores ~40 MB of package lists in /var/lib/apt/lists: remove them in the same RUN (`&& rm -rf /var/lib/apt/lists/*`)")
        case "install":
            if fs.children(of: "/var/lib/apt/lists").isEmpty {
                throw failure(100, "E: Unable to locate package \(words.dropFirst().first ?? ""): run apt-get update first, in the same RUN")
            }
            let recommends = !texts.contains("--no-install-recommends")
            for package in words.dropFirst() {
                var files = Self.aptFiles(package) ?? [("/usr/lib/apt-packages/\(package)", 5 * RunModel.mb)]
                if Self.aptFiles(package) == nil { notes.append("apt package \(package) is not in the size table: 5 MB assumed") }
                if recommends {
                    let extra = files.reduce(0) { $0 + $1.1 } * 3 / 10
                    files.append(("/usr/share/doc/\(package)-recommends", extra))
                }
                install(files, package: package, tool: "apt")
                grow("/var/lib/dpkg/status", by: 2_000, tool: "apt", marker: package)
            }
            if recommends { notes.append("without --no-install-recommends, recommended packages add ~30%") }
            notes.append("the Debian images' docker-clean hook deletes the downloaded .deb files, so none stay in /var/cache/apt")
        case "clean", "autoremove", "autoclean":
            break
        default:
            notes.append("`apt-get \(texts.joined(separator: " "))` is not modelled: the layer holds whatever it would write")
        }
    }

    // MARK: npm

    /// The dependency names of a package.json section (`"dependencies": { "a": "^1" }`).
    static func dependencies(_ json: String, section: String) -> [String] {
        guard let start = json.firstRange(of: "\"\(section)\"") else { return [] }
        let rest = json[start.upperBound...]
        guard let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") else { return [] }
        var names: [String] = []
        for line in rest[rest.index(after: open)..<close].split(separator: ",") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 {
                let name = parts[0].filter { $0 != "\"" && $0 != " " && $0 != "\n" && $0 != "\t" }
                if !name.isEmpty { names.append(String(name)) }
            }
        }
        return names
    }

    /// `npm install` / `npm ci`: each direct dependency is modelled as 4 MB of node_modules with
    /// its transitive tree (a small app's node_modules is tens to hundreds of MB), plus an npm
    /// cache of half that in /root/.npm.
    mutating func runNpm(_ texts: [String]) throws(DockerfileError) {
        guard hasTool("npm") else { throw failure(127, "/bin/sh: npm: not found") }
        switch texts.first {
        case "install", "i", "ci":
            guard let manifest = fs[path("package.json")] else {
                throw failure(254, "npm ERR! enoent Could not read package.json: copy it before `npm \(texts[0])`")
            }
            let omitDev = texts.contains("--omit=dev") || texts.contains("--production") || lookup("NODE_ENV") == "production"
            var names: [String]
            if let json = manifest.content {
                names = Self.dependencies(json, section: "dependencies")
                if !omitDev { names += Self.dependencies(json, section: "devDependencies") }
            } else {
                names = (0..<max(1, manifest.size / 40)).map { "dependency-\($0)" }
                notes.append("package.json has no content in the context: \(names.count) dependencies assumed from its size")
            }
            let modules = path("node_modules")
            for name in names {
                install([(modules + "/" + name + "/package-tree", 4 * RunModel.mb)], package: name, tool: "npm")
            }
            install([("/root/.npm/_cacache/content-v2", names.count * 2 * RunModel.mb)], package: names.joined(separator: ","), tool: "npm")
            notes.append("\(names.count) direct dependencies at 4 MB each (with their transitive tree); the npm cache in /root/.npm stays unless removed in the same RUN")
        case "cache" where texts.contains("clean"):
            fs.remove("/root/.npm/_cacache")
        default:
            notes.append("`npm \(texts.joined(separator: " "))` is not modelled: the layer holds whatever it would write")
        }
    }

    // MARK: pip

    static func pipBytes(_ package: String) -> Int {
        let table: [String: Int] = [
            "flask": 3_100_000, "django": 41_000_000, "requests": 1_500_000, "numpy": 61_000_000,
            "pandas": 154_000_000, "fastapi": 12_000_000, "uvicorn": 2_400_000, "gunicorn": 900_000,
        ]
        return table[package.lowercased()] ?? 5 * RunModel.mb
    }

    mutating func runPip(_ texts: [String]) throws(DockerfileError) {
        guard hasTool("pip") || hasTool("pip3") else { throw failure(127, "/bin/sh: pip: not found") }
        guard texts.first == "install" else {
            notes.append("`pip \(texts.joined(separator: " "))` is not modelled: the layer holds whatever it would write")
            return
        }
        var packages: [String] = []
        var index = 1
        while index < texts.count {
            let word = texts[index]
            if word == "-r" || word == "--requirement", index + 1 < texts.count {
                guard let file = fs[path(texts[index + 1])] else {
                    throw failure(1, "ERROR: Could not open requirements file: No such file or directory: '\(texts[index + 1])'")
                }
                for line in (file.content ?? "").split(separator: "\n") {
                    let name = line.prefix { !"=<>~[; #".contains($0) }
                    if !name.isEmpty { packages.append(String(name)) }
                }
                index += 2
                continue
            }
            if !word.hasPrefix("-") { packages.append(String(word.prefix { !"=<>~[".contains($0) })) }
            index += 1
        }
        let site = "/usr/local/lib/python3.12/site-packages"
        let keepCache = !texts.contains("--no-cache-dir") && lookup("PIP_NO_CACHE_DIR") == nil
        for package in packages {
            let bytes = Self.pipBytes(package)
            install([(site + "/" + package.lowercased() + "/package-tree", bytes)], package: package, tool: "pip")
            if keepCache { install([("/root/.cache/pip/http-v2/" + package.lowercased(), bytes * 35 / 100)], package: package, tool: "pip") }
        }
        if keepCache { notes.append("without --no-cache-dir, pip keeps downloaded wheels in /root/.cache/pip (~35% more)") }
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs.
    var trimmingBlanks: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return String(text)
    }
}
