// Package htaccess parses Apache httpd 2.4 configuration files (httpd.conf,
// apache2.conf, virtual-host files and .htaccess) with exact byte positions,
// and loads a whole configuration tree by following Include and
// IncludeOptional the way httpd does.
//
// The parser mirrors httpd's own reader rather than a simplified grammar:
//
//   - A logical line is a physical line joined with the following ones while
//     it ends in a backslash immediately before the newline (ap_cfg_getline).
//     A backslash followed by trailing blanks is not a continuation. The
//     joined line is trimmed of leading and trailing white space.
//   - '#' starts a comment only as the first character of a trimmed logical
//     line, so a comment line ending in '\' swallows the next line, and
//     "AuthType Basic # x" is a directive with three arguments.
//   - Words are split like ap_getword_conf: "..." and '...' quote a word
//     (backslash escapes the quote and the backslash inside it), an
//     unterminated quote runs to the end of the line, "a""b" is two words,
//     and a quote inside a bare word is literal.
//   - Sections are matched case-insensitively. The arguments of an opener end
//     at its last '>'; httpd ignores text after it. The conditional
//     containers read at start-up (<IfModule>, <IfDefine>, <IfVersion>,
//     <IfFile>, <IfDirective>, <IfSection>, <Macro>) follow httpd's
//     ap_build_cont_config: their closer must be alone on its line, and when
//     left open at end of file httpd accepts them silently (reported here as
//     a warning).
//
// Parse never reads files and always returns a tree plus every problem it
// found, one per cause (sections left open at the end are one problem of
// each kind; sections nested deeper than 100 are skipped with one warning;
// binary data is one error and no tree). Problems carry a Kind and a Severity: errors are what makes httpd
// refuse a configuration; warnings are what httpd accepts but is likely a
// mistake (an unclosed <IfModule>, text after a '>', an undefined ${VAR}).
//
// Load and LoadDebian take a Source and follow the server's read order
// (httpd's include_config and ap_dir_fnmatch): Include and IncludeOptional
// resolve relative paths against ServerRoot, accept wildcards in any path
// component, list matches in byte order, skip dot files unless the pattern
// starts with '.', and include a directory recursively. Include fails on a
// missing file or a wildcard that matches nothing; IncludeOptional is
// silent about both. Cycles and nesting beyond MaxIncludeDepth are
// reported; an Include whose wildcard or directory takes in the file that
// holds it is a cycle, and nothing of it is followed. Each file is read and
// parsed once per load; a place that includes it again gets the tree of its
// first place when nothing in it depends on the place, else a copy of what
// does (sharing the rest), and MaxIncludeExpansion bounds what the places
// add up to: Walk may meet one tree in several places. Define/UnDefine
// apply in file order, <IfDefine> is evaluated
// where it appears (its body is skipped when false, as httpd does), and
// ${VAR} references are expanded into Arg.Expanded from the defines and
// then LoadOptions.EnvVars. <IfModule> and the other conditions are kept
// for the caller to evaluate (Config.Modules lists the LoadModule lines);
// an Include failing inside one is only a warning. Walk visits a tree
// including the files pulled in by Include.
package htaccess
