// Package servertest starts real nginx and Apache httpd servers for tests, on
// 127.0.0.1 and free ports, from a scenario's own configuration tree rendered
// into a temporary directory, and sends them requests.
//
// A scenario (see testdata/scenarios/README.md) is data: a config tree, the
// requests with the statuses the real server must return, and the findings
// authlint must report on the same tree. RunScenarios checks all three, and
// the status `authlint why` predicts for every request (a PredictFunc), so
// each scenario shows config → prediction → reality.
//
// Servers never use /etc configs or systemd: nginx runs as
// `nginx -p DIR/ -c DIR/conf/nginx.conf -g 'daemon off;'` and Apache as
// `apache2 -f DIR/conf/httpd.conf -DFOREGROUND`, each with its pid file, logs
// and runtime files inside DIR, and is stopped by PID in a cleanup. Every wait
// is bounded.
package servertest
