// Package nginxmodel is the effective auth configuration of an nginx
// server: every http, server, location, if and limit_except block with the
// auth directives it sets and those it inherits (ngx_http_merge_servers and
// the modules' merge_loc_conf functions), and location selection as
// ngx_http_core_find_location does it (exact, longest prefix, ^~, regex in
// order, nested).
//
// SelectServer chooses a server block for a socket and a Host as
// ngx_http_find_virtual_server does, and Predict follows one request
// through nginx's phases (rewrite, access, error_page, try_files, index,
// static files, proxy_pass to servers of the same configuration), reading
// user files with nginx's own scanner (FindUser) and crypt (Crypt): the
// steps `authlint why` prints.
//
// The package reads files only through internal/serverfs and never imports
// the rules.
package nginxmodel
