// Package apachemodel is the effective auth configuration of an Apache
// httpd 2.4 server: what a request meets once httpd has selected its
// virtual host and merged its per-directory sections.
//
// Build (or BuildHtaccess) turns a loaded htaccess.Config into a Builder;
// Builder.DiscoverHtaccess finds the .htaccess files httpd would read under
// the served trees and links them in; Builder.Freeze returns the finished
// *Model, which rules and the request evaluator read concurrently.
//
// Model.Effect merges the sections for one request in httpd's order, in
// phases named after server/request.c: directoryWalk (ap_directory_walk,
// with the .htaccess files), fileWalk (ap_file_walk), locationWalk
// (ap_location_walk) and ifWalk (ap_if_walk). Authorization is then decided
// as mod_authz_core does (Authz.Decide).
//
// Predict evaluates one request the way httpd would, step by step, for
// `authlint why`: SelectServer picks the virtual host, Translate runs
// translate_name (RewriteRule, Redirect, the Alias family, DocumentRoot),
// Effect merges the sections, CheckHtaccess tells what a .htaccess on the
// way does, Authz.Evaluate decides with the user and client address, and
// the user files are read as mod_authn_file reads them (ReadCfgLines,
// LookupPassword, CheckPassword). TestPredictScenarios checks every
// Apache scenario's requests against the real server's statuses.
//
// The package reads files only through internal/serverfs and never imports
// the rules.
package apachemodel
