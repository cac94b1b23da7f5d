// Package nginxmodel is the effective auth configuration of an nginx
// server: every http, server, location, if and limit_except block with the
// auth directives it sets and those it inherits (ngx_http_merge_servers and
// the modules' merge_loc_conf functions), and location selection as
// ngx_http_core_find_location does it (exact, longest prefix, ^~, regex in
// order, nested).
//
// The package reads files only through internal/serverfs and never imports
// the rules.
package nginxmodel
