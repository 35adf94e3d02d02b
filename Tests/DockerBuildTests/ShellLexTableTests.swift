// BuildKit's own substitution tables, driven as moby/buildkit frontend/dockerfile/shell/lex_test.go
// drives them (TestShellParser4EnvVars and TestShellParser4Words).

import Testing
@testable import DockerBuild

@Suite("BuildKit envVarTest and wordsTest tables")
struct ShellLexTableTests {
    @Test("envVarTest has every row, with the platform split lex_test.go expects")
    func envVarTableIsComplete() {
        // Goal: prove no row is lost in parsing: testdata/buildkit/README.md counts 230 rows;
        // the file has 226 `A`, 2 `U` and 2 `W` rows, and lex_test.go rejects any other tag.
        #expect(ShellLexEnvVarRow.all.count == 230)
        #expect(ShellLexEnvVarRow.all.allSatisfy { ["A", "U", "W"].contains($0.platform) })
        #expect(ShellLexEnvVarRow.linux.count == 228)
        #expect(ShellLexEnvVarRow.windows.count == 228)
    }

    @Test("envVarTest on Linux (A and U rows)", arguments: ShellLexEnvVarRow.linux)
    func envVarLinux(_ row: ShellLexEnvVarRow) {
        // Goal: each A/U row of envVarTest expands as lex.go does on Linux, with lex_test.go's env
        // PWD=/home SHELL=bash KOREAN=한국어 NULL=; an `error` row must throw `failed to process …`.
        #expect(row.failure(windows: false) == nil)
    }

    @Test("envVarTest on Windows (A and W rows)", arguments: ShellLexEnvVarRow.windows)
    func envVarWindows(_ row: ShellLexEnvVarRow) {
        // Goal: each A/W row expands as lex.go does on Windows: the same `\` escape (lex_test.go
        // uses NewLex('\\') everywhere), but names compare case-insensitively (equal_env_windows.go).
        #expect(row.failure(windows: true) == nil)
    }

    @Test("envVarTest pass counts per platform")
    func envVarCounts() {
        // Goal: report how many rows pass on each platform, and fail unless all of them do.
        let linuxFailures = ShellLexEnvVarRow.linux.compactMap { row in row.failure(windows: false).map { "\(row.testDescription): \($0)" } }
        let windowsFailures = ShellLexEnvVarRow.windows.compactMap { row in row.failure(windows: true).map { "\(row.testDescription): \($0)" } }
        print("envVarTest Linux: \(ShellLexEnvVarRow.linux.count - linuxFailures.count)/\(ShellLexEnvVarRow.linux.count) pass")
        print("envVarTest Windows: \(ShellLexEnvVarRow.windows.count - windowsFailures.count)/\(ShellLexEnvVarRow.windows.count) pass")
        #expect(linuxFailures.isEmpty, "\(linuxFailures)")
        #expect(windowsFailures.isEmpty, "\(windowsFailures)")
    }

    @Test("wordsTest has every row")
    func wordsTableIsComplete() {
        // Goal: prove no row is lost: the file has 24 rows besides its 4 `ENV` lines and 2 comments,
        // and the `ENV trailing=ab c   ` line keeps its three trailing spaces.
        #expect(ShellLexWordsRow.all.count == 24)
        #expect(ShellLexWordsRow.all.last?.env.last.map { $0.1 } == "ab c   ")
    }

    @Test("wordsTest", arguments: ShellLexWordsRow.all)
    func words(_ row: ShellLexWordsRow) {
        // Goal: each wordsTest row splits as lex.go's ProcessWords does, with the env its `ENV`
        // lines built; an error counts as the single word "error", as in lex_test.go.
        //
        // lex_test.go also loops over a second mode (RawQuotes + SkipUnsetEnv), but it reuses the
        // already-consumed file, so that pass reads no rows; ShellLex does not offer those options.
        #expect(row.failure() == nil)
    }

    @Test("wordsTest pass count")
    func wordsCount() {
        // Goal: report how many wordsTest rows pass, and fail unless all of them do.
        let failures = ShellLexWordsRow.all.compactMap { row in row.failure().map { "\(row.testDescription): \($0)" } }
        print("wordsTest: \(ShellLexWordsRow.all.count - failures.count)/\(ShellLexWordsRow.all.count) pass")
        #expect(failures.isEmpty, "\(failures)")
    }
}
