package rules

// apacheRules are the AP rules, in ID order.
func apacheRules() []*Rule {
	return []*Rule{
		ApacheSyntax,                  // AP000
		ApacheRequireWithoutAuthType,  // AP101
		ApacheUnknownAuthType,         // AP102
		ApacheAuthNameMissing,         // AP103
		ApacheAuthWithoutRequire,      // AP104
		ApacheGrantedBesideUser,       // AP105
		ApacheRequireWords,            // AP106
		ApacheHtaccessIgnored,         // AP107
		ApacheHtaccessNotAllowed,      // AP108
		ApacheDirectiveArguments,      // AP109
		ApacheUnknownProvider,         // AP110
		ApacheIfModuleSkipped,         // AP111
		ApacheDirectiveRepeated,       // AP112
		ApacheDirectiveContext,        // AP113
		ApacheWindowsPath,             // AP114
		ApacheLimitMethodsOpen,        // AP301
		ApacheLaterSectionOpens,       // AP302
		ApacheAuthMergingReplaces,     // AP303
		ApacheSatisfyAnyOpen,          // AP304
		ApachePublicPathSwallowed,     // AP305
		ApacheEnvFromClient,           // AP306
		ApacheFilesExposed,            // AP307
		ApacheProxySkipsDirectoryAuth, // AP308
		ApacheAuthSectionNeverMatches, // AP309
		ApacheUserFileMissing,         // AP401
		ApacheUserFileUnreadable,      // AP402
		ApacheUserFileUnset,           // AP403
		ApacheGroupFile,               // AP404
		ApacheDigestRealm,             // AP405
		ApacheRequireUserUnknown,      // AP406
		ApacheUserFileDownloadable,    // AP407
		ApacheHtaccessUnreadable,      // AP408
		ApacheErrorDocument401,        // AP501
	}
}
