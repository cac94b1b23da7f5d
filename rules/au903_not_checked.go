package rules

// NotChecked reports what authlint could not check: a file over its size
// limit, a .htaccess search stopped by its budget, permissions it cannot
// judge in a non-root run. What lies there may hide a broken or open
// configuration, so it is a warning (info for the permissions note).
var NotChecked = &Rule{
	ID: "AU903", Name: "not-checked", Severity: Warning, Engine: true,
	Summary: "authlint could not check part of the configuration: a file over its size limit, a .htaccess search past its budget",
}
