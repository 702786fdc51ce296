package fsm

// Views of the keyword rules (keywords.go) and complaints (complaint.go)
// for the tests that check them one part at a time.

// headedKeywords returns, of keywords, the folded long ones that are
// headed (isHeaded), as the engine compiles them.
func headedKeywords(keywords []string) map[string]bool {
	headed := make(map[string]bool)
	for _, k := range newKeywordSet(keywords, nil).long {
		if k.headed {
			headed[k.text] = true
		}
	}
	return headed
}

// foldComplaints folds complaint phrases as the engine does.
func foldComplaints(phrases []string) []string {
	return newKeywordSet(nil, phrases).complaints
}

// complaintIn reads u on its own and reports whether it holds one of the
// folded complaints (reading.complaint).
func complaintIn(u string, complaints []string) bool {
	var r reading
	r.read(u)
	return r.complaint(complaints)
}
