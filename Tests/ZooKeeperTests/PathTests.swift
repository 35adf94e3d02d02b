import Testing
@testable import ZooKeeper

@Suite("Path validation")
struct PathTests {
    private func message(_ path: String, sequential: Bool = false) -> String? {
        do {
            try ZKPath.validate(path, sequential: sequential)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func javaMessages() {
        // Goal: validate gives PathUtils.validatePath's messages and indexes for each kind of bad path.
        // Source: PathUtils.java (apache/zookeeper); zookeeper.md §3 ("no relative ./..").
        #expect(message("a") == "Path must start with / character")
        #expect(message("/a/") == "Path must not end with / character")
        #expect(message("/a//b") == "Invalid path string \"/a//b\" caused by empty node name specified @3")
        #expect(message("/a/./b") == "Invalid path string \"/a/./b\" caused by relative paths not allowed @3")
        #expect(message("/a/../b") == "Invalid path string \"/a/../b\" caused by relative paths not allowed @4")
        #expect(message("") == "Path length must be > 0")
        #expect(message("/a\u{0001}") == "Invalid path string \"/a\u{0001}\" caused by invalid character @2")
        #expect(message("/a\u{0000}b") == "Invalid path string \"/a\u{0000}b\" caused by null character not allowed @2")
        #expect(message("/a\u{1F600}") == "Invalid path string \"/a\u{1F600}\" caused by invalid character @2")
        #expect(message("/a/..") == "Invalid path string \"/a/..\" caused by relative paths not allowed @4")
    }

    @Test func validPathsAndReasons() throws {
        // Goal: ordinary names, dotted names that are not `.`/`..`, and the root pass; the error keeps the
        // given path and the bare reason. Source: PathUtils.java.
        for p in ["/", "/a", "/a/b-c_d", "/.a", "/a/..b", "/...", "/a.", "/zookeeper/quota", "/ünï"] {
            #expect(message(p) == nil, "\(p)")
        }
        do {
            try ZKPath.validate("/x//y")
            Issue.record("expected an error")
        } catch {
            #expect(error.path == "/x//y" && error.reason == "empty node name specified @3")
        }
    }

    @Test func sequentialValidationAppendsOne() {
        // Goal: sequential validation checks path + "1" like Java (trailing slash allowed; the message
        // quotes the extended path; an empty sequential path fails the leading-slash check).
        // Source: PathUtils.validatePath(String, boolean).
        #expect(message("/app/", sequential: true) == nil)
        #expect(message("/a//b", sequential: true) == "Invalid path string \"/a//b1\" caused by empty node name specified @3")
        #expect(message("", sequential: true) == "Path must start with / character")
    }

    @Test func parentNameJoin() {
        // Goal: parent/name/join split and build paths like DataTree (parent of /a is /).
        // Source: DataTree.createNode / PrepRequestProcessor (lastIndexOf('/')).
        #expect(ZKPath.parent(of: "/a") == "/")
        #expect(ZKPath.parent(of: "/a/b/c") == "/a/b")
        #expect(ZKPath.parent(of: "/app/") == "/app")
        #expect(ZKPath.parent(of: "/") == "/")
        #expect(ZKPath.name(of: "/a/b/c") == "c")
        #expect(ZKPath.name(of: "/") == "")
        #expect(ZKPath.join("/", "a") == "/a")
        #expect(ZKPath.join("/a", "b") == "/a/b")
        #expect(ZKPath.isAncestor("/p", of: "/p/c"))
        #expect(!ZKPath.isAncestor("/p", of: "/pq"))
        #expect(ZKPath.isAncestor("/", of: "/pq"))
    }
}

@Test func javaStringOrder() {
    // Goal: sorted outputs use Java's String.compareTo order (UTF-16 units), which differs from scalar
    // order only between U+E000…U+FFFF and supplementary characters.
    // Source: java.lang.String.compareTo; zookeeper.md §3 ("zkCli sorts `ls` output alphabetically").
    #expect(javaPrecedes("a", "b") && !javaPrecedes("b", "a") && !javaPrecedes("a", "a"))
    #expect(javaPrecedes("job-", "job-0") && javaPrecedes("Z", "a") && javaPrecedes("a-b", "a/b"))
    #expect(javaPrecedes("\u{1F600}", "\u{FF01}"))      // surrogate D83D < FF01 in UTF-16
    #expect(!javaPrecedes("\u{FF01}", "\u{1F600}"))
    #expect(javaPrecedes("é", "\u{E000}") && javaPrecedes("\u{E000}", "\u{E001}"))
    #expect(ZkCliFormat.children(["\u{FF01}", "\u{1F600}", "b"]) == "[b, \u{1F600}, \u{FF01}]")
}
