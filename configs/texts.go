package configs

// Texts are every user-facing string Baton sends that is not part of a menu or
// an FAQ answer. Korean defaults fill whatever the YAML leaves out (see
// DefaultTexts). {placeholders} are replaced at render time; the texts of
// hoursTexts may quote the hours ({hours}, {hours.<queue>}), filled once
// per config version.
type Texts struct {
	Fallback       string `yaml:"fallback"`         // the stateless error bubble (textCard + operator button)
	FallbackButton string `yaml:"fallback_button"`  // its operator button label
	GroupFallback  string `yaml:"group_fallback"`   // the stateless error bubble in a group chat (simpleText, no button)
	PrivacyNotice  string `yaml:"privacy_notice"`   // PIPA notice; {retention.turns}, {retention.tickets}, {retention.contacts} are replaced
	AddChannelHint string `yaml:"add_channel_hint"` // shown to users who have not added the channel
	RateLimited    string `yaml:"rate_limited"`     // answer to a turn over the per-user rate limit
	Home           string `yaml:"home"`             // quick reply: back to the main menu
	Back           string `yaml:"back"`             // quick reply: previous menu
	More           string `yaml:"more"`             // quick reply: next page of a long menu
	Agent          string `yaml:"agent"`            // quick reply: ask for a human
	NoMatch        string `yaml:"no_match"`         // FAQ found nothing
	Complaint      string `yaml:"complaint"`        // replaces no_match for an escalation.complaints word; 상담원 연결 first
	// ComplaintAfterHours replaces complaint while escalation.queue is
	// closed: no 상담원 연결 (it would only lead to the after-hours reply),
	// 메시지 남기기 instead (fsm/complaint.go).
	ComplaintAfterHours string `yaml:"complaint_after_hours"`
	Clarify             string `yaml:"clarify"`          // FAQ asks which of 2–3 questions was meant
	Thanks              string `yaml:"thanks"`           // answer to thanks or "알겠어요" (not an FAQ miss)
	NotHelpful          string `yaml:"not_helpful"`      // quick reply under an FAQ answer: "도움이 안 됐어요"
	ConfirmQuestion     string `yaml:"confirm_question"` // "상담원을 연결할까요?"
	ConfirmYes          string `yaml:"confirm_yes"`
	ConfirmNo           string `yaml:"confirm_no"`
	HandoffCard         string `yaml:"handoff_card"`       // operator card text; {code} is the handoff code
	HandoffButton       string `yaml:"handoff_button"`     // operator button label
	WaitingStatus       string `yaml:"waiting_status"`     // dealer queue status; {position}, {eta}, {code}
	WaitingOneOnOne     string `yaml:"waiting_one_on_one"` // one_on_one re-offer; {code}
	Cancel              string `yaml:"cancel"`             // quick reply: cancel the handoff
	Cancelled           string `yaml:"cancelled"`          // after a user cancel
	NothingToCancel     string `yaml:"nothing_to_cancel"`  // a cancel of the handoff (상담 취소 tapped again, or typed) when none is open
	NotConnected        string `yaml:"not_connected"`      // one_on_one handoff closed after return_gap
	ReturnedGreeting    string `yaml:"returned_greeting"`  // back from a human
	AfterHours          string `yaml:"after_hours"`        // closed; {next} is the next opening time ("오늘 오후 1시", "내일 오전 9시", "2월 19일(목) 오전 9시")
	LeaveMessage        string `yaml:"leave_message"`      // quick reply: leave a message (ticket)
	NotifyOnOpen        string `yaml:"notify_on_open"`     // quick reply: tell me when you open
	GroupNoHandoff      string `yaml:"group_no_handoff"`   // group chats cannot be handed to a human
	CallbackWait        string `yaml:"callback_wait"`      // shown while a slow answer comes through the AI callback
	StaleTap            string `yaml:"stale_tap"`          // a tap on an old bubble (a menu option's survives a reload that left it unchanged)
	// WaitingStatusUnknown is the dealer queue status when the position is
	// not known; {code}.
	WaitingStatusUnknown string `yaml:"waiting_status_unknown"`
	// WaitingDealerFailure is the waiting status once the dealer failed and
	// the request went to the agents as an inquiry (a dealer_failed
	// ticket) instead of a queue place; {code}.
	WaitingDealerFailure string `yaml:"waiting_dealer_failure"`
	ETAUnknown           string `yaml:"eta_unknown"`         // {eta} until an estimate exists
	NotHelpfulReply      string `yaml:"not_helpful_reply"`   // answer to "도움이 안 됐어요"
	KnowledgeLink        string `yaml:"knowledge_link"`      // link button under a 지식+ answer
	AfterHoursUnknown    string `yaml:"after_hours_unknown"` // closed, next opening unknown
	TicketPrompt         string `yaml:"ticket_prompt"`       // after "메시지 남기기"
	NotifyScheduled      string `yaml:"notify_scheduled"`    // after "열리면 알려주세요"
	// ETA is the {eta} of waiting_status once an estimate exists, under an
	// hour; {minutes}.
	ETA string `yaml:"eta"`
	// ETAHours and ETAHoursHalf are the {eta} of an hour or more, to the
	// nearest half hour: whole hours, and hours and a half ("약 1시간
	// 30분"); {h} is the hours.
	ETAHours     string `yaml:"eta_hours"`
	ETAHoursHalf string `yaml:"eta_hours_half"`
	// ETALong is the {eta} past the longest wait Baton tells as a figure
	// (3 hours): no made-up precise time; {h} is that bound in hours.
	ETALong         string `yaml:"eta_long"`
	TicketCancel    string `yaml:"ticket_cancel"`    // quick reply: cancel the message intake
	TicketCreated   string `yaml:"ticket_created"`   // ticket recorded; {code} is the 접수번호
	TicketCancelled string `yaml:"ticket_cancelled"` // after cancelling the intake
	ContactPrompt   string `yaml:"contact_prompt"`   // tickets.ask_contact: "연락받을 번호"
	ContactSkip     string `yaml:"contact_skip"`     // quick reply: leave no number
	ContactInvalid  string `yaml:"contact_invalid"`  // the answer is not a phone number
	Busy            string `yaml:"busy"`             // queue over max_waiting: offer a ticket
	// When no agent's answer to a ticket can reach the user in the chat
	// (the Event API is off, has no ticket_reply event, or a daily budget
	// of 0), these replace the texts that promise one (fsm/no_reply.go).
	AfterHoursUnknownNoReply string `yaml:"after_hours_unknown_no_reply"` // for after_hours_unknown
	BusyNoReply              string `yaml:"busy_no_reply"`                // for busy
	TicketPromptNoReply      string `yaml:"ticket_prompt_no_reply"`       // for ticket_prompt
	TicketCreatedNoReply     string `yaml:"ticket_created_no_reply"`      // for ticket_created, no number left, after hours; {code}
	TicketCreatedContact     string `yaml:"ticket_created_contact"`       // for ticket_created, a number left (tickets.ask_contact); {code}
	EventWaitTimeoutNoReply  string `yaml:"event_wait_timeout_no_reply"`  // for event_wait_timeout
	// ComplaintAfterHoursNoReply is complaint_after_hours's.
	ComplaintAfterHoursNoReply string `yaml:"complaint_after_hours_no_reply"`
	// WaitingDealerFailureNoReply is waiting_dealer_failure's; {code}.
	WaitingDealerFailureNoReply string `yaml:"waiting_dealer_failure_no_reply"`
	// HumanDealerFailure heads the bot's answers to a user whose
	// failed-over handoff (waiting_dealer_failure) an agent accepted
	// through the link or the admin API: the agent works it outside the
	// chat, so the user still talks to the bot; {code}. It promises no
	// answer in the chat, so it has no _no_reply variant.
	HumanDealerFailure string `yaml:"human_dealer_failure"`
	// ContactChatNoReply answers a wish for the answer in the chat instead
	// of a call ("카톡으로 답해 주세요") at the contact prompt: the number is
	// asked once more (fsm/contact_chat.go).
	ContactChatNoReply string `yaml:"contact_chat_no_reply"`
	// ContactTextPrompt answers a wish for a text message (문자) instead of
	// a number at the contact prompt ("문자로 주세요"): it asks for the
	// number to text (fsm/contact_chat.go).
	ContactTextPrompt string `yaml:"contact_text_prompt"`
	// TicketCreatedNoReplyBusy is ticket_created_no_reply's while the
	// queue is open (a ticket left because the queue was full): no
	// "상담 시간에"; {code}.
	TicketCreatedNoReplyBusy string `yaml:"ticket_created_no_reply_busy"`
	// HandoffEndedWaiting opens the user's next turn after a handoff still
	// waiting was ended by an agent or an operator (an end link, the admin
	// API, a dealer's session.ended): nothing else told them.
	HandoffEndedWaiting string `yaml:"handoff_ended_waiting"`
	// Event API messages (the event block's turn) and CSAT.
	EventReopen      string `yaml:"event_reopen"`       // the queue the user asked about opened
	EventTicketReply string `yaml:"event_ticket_reply"` // an agent answered a ticket; {answer}
	EventWaitTimeout string `yaml:"event_wait_timeout"` // apology after a dealer wait timed out
	CSATQuestion     string `yaml:"csat_question"`      // asked after a human session
	CSATScore        string `yaml:"csat_score"`         // quick-reply label per score; {score}
	CSATThanks       string `yaml:"csat_thanks"`        // after a CSAT answer
	// CSATUnclear answers a typed "N번" after the CSAT question, which
	// could be the score N or the N-th button (5점 first): the score is
	// asked once more, with the score buttons (fsm/csat_typed.go).
	CSATUnclear string `yaml:"csat_unclear"`
	// Handoff intake (handoff.queues.<q>.intake).
	IntakeSkip      string `yaml:"intake_skip"`      // quick reply: skip an optional intake field
	IntakeInvalid   string `yaml:"intake_invalid"`   // the answer does not fit the field; the prompt follows
	IntakeCancelled string `yaml:"intake_cancelled"` // after cancelling the intake (no handoff)
	// IntakeTextNoted acknowledges a wish for a text message (문자) instead
	// of a call given to an intake field ("문자도 괜찮아요", "문자로 주세요")
	// without a number; the field's prompt follows in the same bubble, so a
	// phone: true field asks for the number once more (fsm/intake_pref.go).
	IntakeTextNoted string `yaml:"intake_text_noted"`
	// Accept/end link pages (/a/{token}): what an agent who followed a
	// link in a notification sees, read when the page is served (a reload
	// changes them). {code} is the handoff code.
	LinkTitle    string `yaml:"link_title"`    // the page title
	LinkAccepted string `yaml:"link_accepted"` // accept link applied: the agent has the user; {code}
	LinkEnded    string `yaml:"link_ended"`    // end link applied: back to the bot; {code}
	LinkInvalid  string `yaml:"link_invalid"`  // malformed, forged or expired link
	LinkUnknown  string `yaml:"link_unknown"`  // the handoff is gone (erased or deleted by retention)
	LinkRetry    string `yaml:"link_retry"`    // a store failure: try again
	LinkTaken    string `yaml:"link_taken"`    // already accepted and still open; {code}
	// LinkAcceptedFailedOver and LinkTakenFailedOver replace LinkAccepted
	// and LinkTaken for a handoff failed over from its 상담톡 dealer: the
	// user is in no chat with the agent, who contacts them another way.
	LinkAcceptedFailedOver string `yaml:"link_accepted_failed_over"` // {code}
	LinkTakenFailedOver    string `yaml:"link_taken_failed_over"`    // {code}
	LinkNotWaiting         string `yaml:"link_not_waiting"`          // open, nobody took it, the user is not waiting; {code}
	LinkUserCancelled      string `yaml:"link_user_cancelled"`       // the user cancelled before anyone took it; {code}
	LinkWaitTimedOut       string `yaml:"link_wait_timed_out"`       // the wait timed out (or 1:1 not connected); {code}
	LinkUserReturned       string `yaml:"link_user_returned"`        // the user came back to the bot; {code}
	LinkSuperseded         string `yaml:"link_superseded"`           // the user asked for a new handoff; {code}
	LinkAgentEnded         string `yaml:"link_agent_ended"`          // someone took it and it has ended; {code}
	LinkAlreadyEnded       string `yaml:"link_already_ended"`        // ended otherwise (an admin, before anyone took it); {code}
	// The page of a link's GET (a click, or a link previewer's fetch),
	// which changes nothing: where the handoff stands, and the one button
	// that applies the link (a POST). {code} is the handoff code, {queue}
	// its queue.
	LinkConfirmWaiting string `yaml:"link_confirm_waiting"` // open, nobody took it yet; {code} {queue}
	LinkConfirmTaken   string `yaml:"link_confirm_taken"`   // open and taken (an end link); {code} {queue}
	LinkAcceptButton   string `yaml:"link_accept_button"`   // the accept link's button
	LinkEndButton      string `yaml:"link_end_button"`      // the end link's button
	// Slack ticket messages (notify kind slack): the prefix that opens the
	// message of a ticket, by its reason, read for each message (a reload
	// changes them).
	SlackTicketMessage      string `yaml:"slack_ticket_message"`       // a user left a message (user_message)
	SlackTicketDealerFailed string `yaml:"slack_ticket_dealer_failed"` // a 상담톡 dealer failed for good (dealer_failed)
	SlackTicketRouterPoison string `yaml:"slack_ticket_router_poison"` // a notification was given up (router_poison)
	SlackTicketNoSink       string `yaml:"slack_ticket_no_sink"`       // a handoff had no sink to go to (no_sink)
	SlackTicketNotifyFailed string `yaml:"slack_ticket_notify_failed"` // a 1:1 handoff closed before any sink was told (notify_failed)
	SlackTicketUnknown      string `yaml:"slack_ticket_unknown"`       // any other reason (the reason follows)
	// Slack message labels (notify kind slack): the words around the
	// queue, codes, ids and links of a handoff's or a ticket's message,
	// read for each message (a reload changes them).
	SlackHandoff     string `yaml:"slack_handoff"`      // the prefix that opens a handoff's message
	SlackQueue       string `yaml:"slack_queue"`        // before the queue name
	SlackHandoffCode string `yaml:"slack_handoff_code"` // before a handoff code (상담번호)
	SlackTicketCode  string `yaml:"slack_ticket_code"`  // before the code of a user's ticket (접수번호)
	SlackTicketID    string `yaml:"slack_ticket_id"`    // before a ticket id
	SlackReason      string `yaml:"slack_reason"`       // before the reason of a ticket of another reason
	SlackTest        string `yaml:"slack_test"`         // appended to the message of test traffic
	SlackAccept      string `yaml:"slack_accept"`       // opens the accept link's line
	SlackAcceptLink  string `yaml:"slack_accept_link"`  // the accept link's text
	SlackEnd         string `yaml:"slack_end"`          // opens the end link's line
	SlackEndLink     string `yaml:"slack_end_link"`     // the end link's text
	// The line a handoff's or a ticket's message carries when the user
	// asked to be answered otherwise than by a call (contact_preference).
	SlackContactSMS  string `yaml:"slack_contact_sms"`  // a text message (문자) to the number
	SlackContactChat string `yaml:"slack_contact_chat"` // the answer in the KakaoTalk chat
	// SlackHasContact is the line of a ticket's message whose user left a
	// number to be called back on (has_contact): they were told they
	// would be called, and the number is read in the admin API.
	SlackHasContact string `yaml:"slack_has_contact"`
	// The phrase a user's ticket's message opens with, after the prefix:
	// where the user was when they chose to leave it (the ticket's origin,
	// docs/notify-webhook.md §3).
	SlackOriginFAQ         string `yaml:"slack_origin_faq"`          // faq: from an FAQ answer
	SlackOriginNoMatch     string `yaml:"slack_origin_no_match"`     // no_match: from a question the bot did not understand
	SlackOriginMenu        string `yaml:"slack_origin_menu"`         // menu: from a menu, the welcome or a greeting
	SlackOriginComplaint   string `yaml:"slack_origin_complaint"`    // complaint: from the reply to a complaint
	SlackOriginKeyword     string `yaml:"slack_origin_keyword"`      // keyword: from the answer to a question naming a human
	SlackOriginWaitTimeout string `yaml:"slack_origin_wait_timeout"` // wait_timeout: nobody took the user's wait in time
	SlackOriginMaxWaiting  string `yaml:"slack_origin_max_waiting"`  // max_waiting: the queue was full
	SlackOriginAfterHours  string `yaml:"slack_origin_after_hours"`  // after_hours: asked for a human out of hours
	// The words {hours} and {hours.<queue>} are written with (HoursText,
	// docs/hours.md): "평일 09:00~18:00(12:00~13:00 제외), 주말·공휴일 휴무".
	HoursAlwaysOpen string `yaml:"hours_always_open"` // a queue without hours
	HoursDayNames   string `yaml:"hours_day_names"`   // the seven day names, Monday first, separated by spaces
	HoursNamedDays  string `yaml:"hours_named_days"`  // days written by name ("월·수·금"); {days}
	HoursWeekdays   string `yaml:"hours_weekdays"`    // Monday to Friday
	HoursWeekend    string `yaml:"hours_weekend"`     // Saturday and Sunday
	HoursEveryDay   string `yaml:"hours_every_day"`   // all seven days
	HoursHolidays   string `yaml:"hours_holidays"`    // the holidays of the hours' calendars, among the closed days
	HoursClosed     string `yaml:"hours_closed"`      // the closed days; {days}
	HoursTo         string `yaml:"hours_to"`          // between a window's times, and a run of days' first and last
	HoursGaps       string `yaml:"hours_gaps"`        // the gaps of a split shift, after its span; {gaps}
	HoursZone       string `yaml:"hours_zone"`        // after the hours of a timezone other than Asia/Seoul; {zone}
	HoursDaySep     string `yaml:"hours_day_sep"`     // between days
	HoursListSep    string `yaml:"hours_list_sep"`    // between groups of days, and between gaps
	// Slack handoff.closed messages (notify send_closed): the prefix, why
	// the handoff ended (by its end reason), and the mark of one an agent
	// had accepted.
	SlackClosed             string `yaml:"slack_closed"`               // the prefix that opens the message
	SlackClosedCancelled    string `yaml:"slack_closed_cancelled"`     // user_cancel
	SlackClosedWaitTimeout  string `yaml:"slack_closed_wait_timeout"`  // wait_timeout: nobody took it in time
	SlackClosedNotConnected string `yaml:"slack_closed_not_connected"` // not_connected: the user came back before anyone took it
	SlackClosedReturned     string `yaml:"slack_closed_returned"`      // returned_via_kakao: the user came back to the bot
	SlackClosedSuperseded   string `yaml:"slack_closed_superseded"`    // superseded: the user asked for a new handoff
	SlackClosedIdle         string `yaml:"slack_closed_idle"`          // idle: closed by the idle timer
	SlackClosedEnded        string `yaml:"slack_closed_ended"`         // agent_link, admin, ticket_closed, a dealer's end
	SlackClosedOther        string `yaml:"slack_closed_other"`         // any other end reason
	SlackClosedAccepted     string `yaml:"slack_closed_accepted"`      // appended when an agent had accepted it
}

// DefaultTexts returns the Korean defaults.
func DefaultTexts() Texts {
	return Texts{
		Fallback:            "잠시 문제가 생겼어요. 상담원과 이야기하시겠어요?",
		FallbackButton:      "상담원 연결",
		GroupFallback:       "잠시 문제가 생겼어요. 잠시 후 다시 말씀해 주세요.",
		PrivacyNotice:       "상담 품질 향상을 위해 남기신 문의는 {retention.tickets}간, 연락처는 {retention.contacts}간, 대화 내용은 {retention.turns}간 보관돼요.",
		AddChannelHint:      "채널을 추가하시면 상담 알림을 받으실 수 있어요.",
		RateLimited:         "메시지가 너무 빨리 들어오고 있어요. 잠시 후 다시 말씀해 주세요.",
		Home:                "처음으로",
		Back:                "이전",
		More:                "더보기",
		Agent:               "상담원 연결",
		NoMatch:             "죄송해요, 질문을 이해하지 못했어요. 메뉴에서 골라 주시거나 다르게 물어봐 주세요.",
		Complaint:           "불편을 드려 죄송해요. 상담원과 바로 이야기하시겠어요?",
		ComplaintAfterHours: "불편을 드려 죄송해요. 지금은 상담 시간이 아니라 상담원 연결이 어려워요. 메시지를 남겨 주시면 상담 시간에 확인 후 답변드릴게요.",
		Thanks:              "네, 더 궁금한 점이 있으면 언제든 물어봐 주세요.",
		Clarify:             "혹시 아래 질문 중 하나인가요? 번호로 답하셔도 돼요.",
		NotHelpful:          "도움이 안 됐어요",
		ConfirmQuestion:     "상담원을 연결할까요?",
		ConfirmYes:          "네, 연결해 주세요",
		ConfirmNo:           "아니요",
		HandoffCard:         "상담원을 연결해 드릴게요. 아래 버튼을 눌러 주세요. (상담번호 {code})",
		HandoffButton:       "상담원 연결",
		WaitingStatus:       "상담 대기 중이에요. 대기 순서 {position}번, 예상 대기 {eta}. (상담번호 {code})",
		WaitingOneOnOne:     "상담원 연결을 원하시면 아래 버튼을 눌러 주세요. (상담번호 {code})",
		Cancel:              "상담 취소",
		Cancelled:           "상담 요청을 취소했어요.",
		NothingToCancel:     "진행 중인 상담 요청이 없어요.",
		NotConnected:        "상담 연결이 이루어지지 않아 챗봇이 다시 도와드릴게요.",
		ReturnedGreeting:    "상담이 종료되었어요. 더 궁금한 점이 있으면 말씀해 주세요.",
		AfterHours:          "지금은 상담 시간이 아니에요. 다음 상담 시간은 {next}부터예요.",
		LeaveMessage:        "메시지 남기기",
		NotifyOnOpen:        "열리면 알려주세요",
		GroupNoHandoff:      "그룹 채팅에서는 상담원 연결을 할 수 없어요. 1:1 채팅으로 문의해 주세요.",
		CallbackWait:        "답변을 준비하고 있어요. 잠시만 기다려 주세요.",
		StaleTap:            "메뉴가 바뀌었어요. 현재 메뉴를 보여드릴게요.",

		WaitingStatusUnknown: "상담 대기 중이에요. 상담원이 연결되면 바로 이어서 도와드릴게요. (상담번호 {code})",
		WaitingDealerFailure: "상담 요청이 문의로 접수되어 담당자에게 전달되었어요. 확인 후 연락드릴게요. (상담번호 {code})",
		HumanDealerFailure:   "담당자가 상담 요청을 맡아 확인하고 있어요. 담당자가 따로 연락드릴 거예요. (상담번호 {code})",
		ETAUnknown:           "확인 중",
		NotHelpfulReply:      "도움이 되지 못해 죄송해요. 다르게 물어봐 주시거나 아래에서 골라 주세요.",
		KnowledgeLink:        "자세히 보기",
		AfterHoursUnknown:    "지금은 상담 시간이 아니에요. 메시지를 남겨 주시면 확인 후 답변드릴게요.",
		TicketPrompt:         "남기실 메시지를 입력해 주세요. 상담 시간에 확인 후 답변드릴게요.",
		NotifyScheduled:      "상담 시간이 시작되면 알려드릴게요.",

		AfterHoursUnknownNoReply:    "지금은 상담 시간이 아니에요. 메시지를 남겨 주시면 담당자에게 전달해 드릴게요.",
		BusyNoReply:                 "지금은 상담 대기 인원이 많아요. 메시지를 남겨 주시면 담당자에게 전달해 드릴게요.",
		TicketPromptNoReply:         "남기실 메시지를 입력해 주세요. 담당자에게 전달해 드릴게요.",
		TicketCreatedNoReply:        "메시지가 접수되어 담당자가 확인할 거예요. (접수번호 {code}) 이 채팅으로는 답변을 보내드릴 수 없으니, 답변이 필요하시면 상담 시간에 다시 문의해 주세요.",
		TicketCreatedContact:        "메시지가 접수되었어요. (접수번호 {code}) 상담 시간에 확인 후 남겨 주신 번호로 연락드릴게요.",
		EventWaitTimeoutNoReply:     "상담원 연결이 늦어져 죄송해요. 메시지를 남겨 주시면 담당자에게 전달해 드릴게요.",
		ComplaintAfterHoursNoReply:  "불편을 드려 죄송해요. 지금은 상담 시간이 아니라 상담원 연결이 어려워요. 메시지를 남겨 주시면 담당자에게 전달해 드릴게요.",
		WaitingDealerFailureNoReply: "상담 요청이 문의로 접수되어 담당자에게 전달되었어요. 이 채팅으로는 답변을 보내드릴 수 없으니, 필요하시면 잠시 후 다시 문의해 주세요. (상담번호 {code})",
		ContactChatNoReply:          "죄송해요, 이 채팅으로는 답변을 보내드릴 수 없어요. 연락받을 번호를 남겨 주시면 담당자가 연락드릴게요. 원하지 않으시면 '건너뛰기'를 눌러 주세요.",
		ContactTextPrompt:           "문자 받으실 휴대폰 번호를 남겨 주세요. 원하지 않으시면 '건너뛰기'를 눌러 주세요.",
		TicketCreatedNoReplyBusy:    "메시지가 접수되어 담당자가 확인할 거예요. (접수번호 {code}) 이 채팅으로는 답변을 보내드릴 수 없으니, 답변이 필요하시면 잠시 후 다시 문의해 주세요.",

		HandoffEndedWaiting: "상담 요청이 종료되었어요. 다시 연결이 필요하면 '상담원'이라고 입력해 주세요.",

		ETA:              "약 {minutes}분",
		ETAHours:         "약 {h}시간",
		ETAHoursHalf:     "약 {h}시간 30분",
		ETALong:          "{h}시간 이상",
		TicketCancel:     "취소",
		TicketCreated:    "메시지가 접수되었어요. (접수번호 {code}) 상담 시간에 확인 후 답변드릴게요.",
		TicketCancelled:  "메시지 남기기를 취소했어요.",
		ContactPrompt:    "연락받을 번호를 남겨 주세요. 원하지 않으시면 '건너뛰기'를 눌러 주세요.",
		ContactSkip:      "건너뛰기",
		ContactInvalid:   "전화번호 형식이 아니에요. 숫자로 다시 입력하시거나 '건너뛰기'를 눌러 주세요.",
		Busy:             "지금은 상담 대기 인원이 많아요. 메시지를 남겨 주시면 확인 후 답변드릴게요.",
		EventReopen:      "상담 시간이 시작되었어요. 상담원 연결을 원하시면 아래 버튼을 눌러 주세요.",
		EventTicketReply: "남겨 주신 문의에 답변드려요.\n\n{answer}",
		EventWaitTimeout: "상담원 연결이 늦어져 죄송해요. 메시지를 남겨 주시면 확인 후 답변드릴게요.",
		CSATQuestion:     "상담은 만족스러우셨나요? 1점(아쉬워요)부터 5점(좋았어요)까지 골라 주세요.",
		CSATScore:        "{score}점",
		CSATThanks:       "소중한 의견 감사합니다.",
		CSATUnclear:      "몇 점을 주실지 '4점'처럼 점수로 알려 주세요. 아래 버튼을 눌러 주셔도 돼요.",
		IntakeSkip:       "건너뛰기",
		IntakeInvalid:    "입력하신 내용을 확인할 수 없어요. 다시 입력해 주세요.",
		IntakeCancelled:  "상담 연결을 취소했어요.",
		IntakeTextNoted:  "네, 문자로 연락드리도록 상담원에게 전해 둘게요.",

		LinkTitle:              "Baton",
		LinkAccepted:           "상담을 시작했습니다 (상담번호 {code}). 카카오톡 채널 관리자센터의 1:1 채팅에서 고객에게 답해 주시고, 상담이 끝나면 알림의 '상담 종료' 링크를 눌러 주세요.",
		LinkEnded:              "상담을 종료했습니다 (상담번호 {code})",
		LinkInvalid:            "링크가 올바르지 않거나 만료되었습니다. 알림의 상담번호를 관리자에게 알려 새 링크를 받아 주세요.",
		LinkUnknown:            "상담을 찾을 수 없습니다.",
		LinkRetry:              "잠시 후 다시 시도해 주세요.",
		LinkTaken:              "이미 수락된 상담입니다 (상담번호 {code}). 직접 수락하셨다면 1:1 채팅에서 이어서 답해 주세요. 아니라면 다른 상담원이 맡아 진행 중입니다.",
		LinkAcceptedFailedOver: "상담을 맡으셨습니다 (상담번호 {code}). 상담톡 연결에 실패한 요청이라 고객은 상담 채팅이 아니라 챗봇과 대화하고 있습니다. 관리 API에서 대화 기록과 접수된 문의를 확인해 고객에게 직접 연락해 주시고, 마치면 알림의 '상담 종료' 링크를 눌러 주세요.",
		LinkTakenFailedOver:    "이미 수락된 상담입니다 (상담번호 {code}). 직접 수락하셨다면 고객에게 직접 연락해 주세요 (상담톡 연결 실패: 고객은 챗봇과 대화 중). 아니라면 다른 상담원이 맡아 진행 중입니다.",
		LinkNotWaiting:         "고객의 대화가 대기 중이 아니어서 처리하지 않았습니다. 아직 아무도 맡지 않은 상담입니다 (상담번호 {code})",
		LinkUserCancelled:      "고객이 상담 요청을 취소했습니다. 아무도 맡지 않은 상담입니다 (상담번호 {code})",
		LinkWaitTimedOut:       "대기 시간이 지나 상담 요청이 종료되었습니다. 아무도 맡지 않은 상담입니다 (상담번호 {code})",
		LinkUserReturned:       "고객이 챗봇으로 돌아와 상담이 종료되었습니다 (상담번호 {code})",
		LinkSuperseded:         "고객이 새 상담을 요청해 이 상담은 종료되었습니다 (상담번호 {code})",
		LinkAgentEnded:         "상담원이 맡았던 상담이 이미 종료되었습니다 (상담번호 {code})",
		LinkAlreadyEnded:       "이미 종료된 상담입니다 (상담번호 {code})",
		LinkConfirmWaiting:     "고객이 상담원을 기다리고 있습니다. 아직 아무도 맡지 않은 상담입니다 (상담번호 {code}, 큐 {queue})",
		LinkConfirmTaken:       "상담원이 맡아 진행 중인 상담입니다 (상담번호 {code}, 큐 {queue})",
		LinkAcceptButton:       "상담 시작하기",
		LinkEndButton:          "상담 종료하기",

		SlackTicketMessage:      "[메시지 접수]",
		SlackTicketDealerFailed: "[상담톡 연결 실패]",
		SlackTicketRouterPoison: "[전달 실패]",
		SlackTicketNoSink:       "[알림 설정 없음]",
		SlackTicketNotifyFailed: "[상담 요청 미전달]",
		SlackTicketUnknown:      "[확인 필요]",

		SlackHandoff:     "[상담 요청]",
		SlackQueue:       "큐",
		SlackHandoffCode: "상담번호",
		SlackTicketCode:  "접수번호",
		SlackTicketID:    "티켓",
		SlackReason:      "사유",
		SlackTest:        "(테스트)",
		SlackContactSMS:  "문자 연락 희망",
		SlackContactChat: "카카오톡 답변 희망",
		SlackHasContact:  "연락받을 번호 남김 (관리 API에서 확인)",
		SlackAccept:      "수락",
		SlackAcceptLink:  "상담 시작",
		SlackEnd:         "종료",
		SlackEndLink:     "상담 종료",

		SlackOriginFAQ:         "FAQ 답변 후",
		SlackOriginNoMatch:     "이해하지 못한 질문",
		SlackOriginMenu:        "메뉴에서",
		SlackOriginComplaint:   "불만 표현 후",
		SlackOriginKeyword:     "상담원 문의 답변 후",
		SlackOriginWaitTimeout: "대기 시간 초과",
		SlackOriginMaxWaiting:  "대기 인원 초과",
		SlackOriginAfterHours:  "상담 시간 외 상담 요청",

		HoursAlwaysOpen:         "연중무휴 24시간",
		HoursDayNames:           "월 화 수 목 금 토 일",
		HoursNamedDays:          "{days}요일",
		HoursWeekdays:           "평일",
		HoursWeekend:            "주말",
		HoursEveryDay:           "매일",
		HoursHolidays:           "공휴일",
		HoursClosed:             "{days} 휴무",
		HoursTo:                 "~",
		HoursGaps:               "({gaps} 제외)",
		HoursZone:               " ({zone} 기준)",
		HoursDaySep:             "·",
		HoursListSep:            ", ",
		SlackClosed:             "[상담 종료]",
		SlackClosedCancelled:    "고객이 취소했어요",
		SlackClosedWaitTimeout:  "아무도 맡지 않아 대기 시간이 끝났어요",
		SlackClosedNotConnected: "연결 전에 고객이 챗봇으로 돌아왔어요",
		SlackClosedReturned:     "고객이 챗봇으로 돌아왔어요",
		SlackClosedSuperseded:   "고객이 새 상담을 요청했어요",
		SlackClosedIdle:         "대화가 없어 자동으로 종료했어요",
		SlackClosedEnded:        "상담원이 종료했어요",
		SlackClosedOther:        "상담이 종료됐어요",
		SlackClosedAccepted:     "(수락된 상담)",
	}
}
