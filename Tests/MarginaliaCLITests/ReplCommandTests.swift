import Foundation
import Testing

@Suite("marginalia repl without a terminal")
struct ReplCommandTests {
    @Test func scriptsRunFromStandardInputWithoutPrompts() throws {
        let script = "load \(sample)\nrun segment\ndocs\n"
        let result = try CLI.run(["repl"], stdin: Data(script.utf8))
        #expect(result.status == 0)
        #expect(!result.stdout.contains("marginalia>"))
        #expect(result.stdout.contains("loaded caspian-corridor"))
        #expect(result.stdout.contains("sentence 22"))
    }

    @Test func aFailedCommandMakesTheScriptExitNonZero() throws {
        let result = try CLI.run(["repl"], stdin: Data("load /nonexistent.md\ndocs\n".utf8))
        #expect(result.status == 1)
        #expect(result.stdout.contains("error: /nonexistent.md: cannot open: No such file or directory"))
        #expect(result.stdout.contains("no documents loaded"))
    }

    @Test func dashCRunsCommandsAndExits() throws {
        let result = try CLI.run(["repl", sample, "--run", "all", "-c", "docs; list markup link; help \"run\""])
        #expect(result.status == 0)
        #expect(result.stdout.contains("segment"))
        #expect(result.stdout.contains("markup-3  link"))
        #expect(result.stdout.contains("run [ANALYZER...|all] [on DOC|all]"))
        let failing = try CLI.run(["-c", "nosuch"])
        #expect(failing.status == 1)
        #expect(failing.stdout == "error: unknown command 'nosuch'; type `help` for the list\n")
    }

    @Test func noColourWhenOutputIsNotATerminal() throws {
        let result = try CLI.run(["repl", sample, "-c", "show markup"])
        #expect(!result.stdout.contains("\u{1B}["))
        #expect(result.stdout.contains("[memorandum on strategic energy partnership]{link}"))
    }
}
