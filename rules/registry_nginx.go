package rules

// nginxRules are the NG rules, in ID order.
func nginxRules() []*Rule {
	return []*Rule{
		NginxSyntax,              // NG000
		NginxRealmWithoutFile,    // NG101
		NginxFileWithoutRealm,    // NG102
		NginxAuthPlacement,       // NG103
		NginxRegexBypass,         // NG301
		NginxReturnBeforeAuth,    // NG302
		NginxSatisfyAny,          // NG303
		NginxLimitExceptOpen,     // NG304
		NginxPublicPathSwallowed, // NG305
		NginxUserFileMissing,     // NG401
		NginxUserFileUnreadable,  // NG402
		NginxUserFileServed,      // NG403
		NginxProxyAuthorization,  // NG404
		NginxUserFileVariable,    // NG405
		NginxErrorPage401,        // NG406
		NginxAliasExposes,        // NG407
		NginxContentExposed,      // NG408
	}
}
