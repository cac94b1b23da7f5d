// Package nginxconf parses nginx configuration files with exact positions and
// loads a whole configuration by following include directives the way nginx
// does.
//
// The lexer follows ngx_conf_read_token: tokens are separated by blanks; ';',
// '{' and '}' are tokens of their own; '#' at the start of a token begins a
// comment to the end of the line (inside a word it is literal); a token that
// starts with a quote runs to the matching quote and must be followed by a
// blank, ';', '{' or '}'; a backslash escapes the next character, and when a
// word is copied "\"", "\'" and "\\" lose their backslash while "\t", "\r"
// and "\n" become the control characters; "${" inside a word does not open a
// block. The bodies of *_by_lua_block directives are kept raw.
//
// Parse never reads files and always returns the tree it could build plus
// every error, recovering at ';' and '}', one error per cause: a block nested
// past the depth limit is skipped with one error, and binary data (NUL and
// control bytes, UTF-16) is one error and no tree. Load follows include
// directives: relative paths resolve against the conf prefix (the directory
// of the main nginx.conf, not of the including file), globs expand in sorted
// order and may match nothing, a missing plain path is an error, and cycles
// are reported, a glob that matches the file holding it among them. Each file
// is read and parsed once per load and its *File shared by every include
// directive that pulls it in; MaxIncludeExpansion bounds what includes
// add up to. ParseDump reads `nginx -T` output and serves the embedded files
// to Load.
package nginxconf
