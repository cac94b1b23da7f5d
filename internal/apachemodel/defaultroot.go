package apachemodel

// DefaultServerRoot is the ServerRoot httpd uses when neither -d nor a
// ServerRoot directive sets one: Debian's apache2 is built with
// HTTPD_ROOT="/etc/apache2" (`apache2 -V`), and its apache2.conf leaves
// ServerRoot commented out. A .htaccess linted alone resolves relative
// AuthUserFile/AuthGroupFile paths against it (`ap_server_root_relative`).
const DefaultServerRoot = "/etc/apache2"
