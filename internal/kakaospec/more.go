package kakaospec

import (
	"fmt"
	"strings"
)

// §3.4 itemCard.
func (c *checker) itemCard(path string, m map[string]any, inCarousel bool) {
	c.allowKeys(path, m, "thumbnail", "head", "profile", "imageTitle", "itemList", "itemListAlignment",
		"itemListSummary", "title", "description", "buttons", "buttonLayout", "forwardable")
	if t := c.object(path, m, "thumbnail", false); t != nil {
		p := path + ".thumbnail"
		c.allowKeys(p, t, "imageUrl", "altText", "width", "height", "link")
		c.url(p, t, "imageUrl", true)
		c.text(p, t, "altText", false, 50)
		if l := c.object(p, t, "link", false); l != nil {
			c.link(p+".link", l)
		}
		w, hasW := c.integer(p, t, "width", false)
		h, hasH := c.integer(p, t, "height", false)
		switch {
		case hasW != hasH:
			c.fail(p, "width and height go together")
		case hasW && (w <= 0 || h <= 0):
			c.fail(p, "non-positive size %dx%d", w, h)
		case inCarousel && !(hasW && w == 2*h):
			c.fail(p, "carousel itemCard thumbnails must be 2:1")
		case hasW && w != 2*h && w != h:
			c.fail(p, "ratio %dx%d, want 2:1 or 1:1", w, h)
		}
	}
	head := c.object(path, m, "head", false)
	profile := c.object(path, m, "profile", false)
	if head != nil && profile != nil {
		c.fail(path, "head and profile cannot both be set")
	}
	if head != nil {
		c.allowKeys(path+".head", head, "title")
		c.text(path+".head", head, "title", true, 0)
		c.maxLines(path+".head", head, "title", 1)
	}
	if profile != nil {
		p := path + ".profile"
		c.allowKeys(p, profile, "imageUrl", "width", "height", "title")
		c.text(p, profile, "title", true, 15)
		c.url(p, profile, "imageUrl", false)
		w, hasW := c.integer(p, profile, "width", false)
		h, hasH := c.integer(p, profile, "height", false)
		if (hasW || hasH) && (w != h || w <= 0) { // §3.4: 1:1
			c.fail(p, "size %dx%d, want 1:1", w, h)
		}
	}
	if it := c.object(path, m, "imageTitle", false); it != nil {
		c.allowKeys(path+".imageTitle", it, "title", "description", "imageUrl")
		c.text(path+".imageTitle", it, "title", true, 0)
		c.maxLines(path+".imageTitle", it, "title", 2)
		c.maxLines(path+".imageTitle", it, "description", 1)
		c.url(path+".imageTitle", it, "imageUrl", false)
	}
	limit := 10
	if inCarousel {
		limit = 5
	}
	if list, ok := c.array(path, m, "itemList", true); ok {
		if len(list) < 1 || len(list) > limit {
			c.fail(path+".itemList", "%d items, allowed 1 to %d", len(list), limit)
		}
		for i, raw := range list {
			p := fmt.Sprintf("%s.itemList[%d]", path, i)
			im, ok := raw.(map[string]any)
			if !ok {
				c.fail(p, "not an object")
				continue
			}
			c.allowKeys(p, im, "title", "description")
			c.text(p, im, "title", true, 6)
			c.text(p, im, "description", true, 0)
			c.maxLines(p, im, "description", 2)
		}
	}
	if a, ok := c.str(path, m, "itemListAlignment"); ok && a != "left" && a != "right" {
		c.fail(path+".itemListAlignment", "%q", a)
	}
	if s := c.object(path, m, "itemListSummary", false); s != nil {
		c.allowKeys(path+".itemListSummary", s, "title", "description")
		c.text(path+".itemListSummary", s, "title", true, 6)
		if d := c.text(path+".itemListSummary", s, "description", true, 14); decimalPlaces(d) > 2 {
			c.fail(path+".itemListSummary.description", "%q: more than 2 decimals", d)
		}
	}
	title := c.text(path, m, "title", false, 0)
	desc := c.text(path, m, "description", false, 0)
	if desc != "" && title == "" {
		c.fail(path+".description", "needs a title")
	}
	total := 200
	if inCarousel {
		total = 100
	}
	if runes(title)+runes(desc) > total {
		c.fail(path, "title+description %d characters, limit %d", runes(title)+runes(desc), total)
	}
	if n := breakLines(title) + breakLines(desc); n > 12 {
		c.fail(path, "title+description %d lines, limit 12", n)
	}
	c.boolean(path, m, "forwardable")
	c.buttons(path, m, false)
}

// §3.4 carousel.
func (c *checker) carousel(path string, m map[string]any) {
	c.allowKeys(path, m, "type", "items", "header")
	kind, _ := c.str(path, m, "type")
	switch kind {
	case "basicCard", "commerceCard", "listCard", "itemCard", "textCard":
	default:
		c.fail(path+".type", "%q is not a carousel type", kind)
		return
	}
	limit := 10
	if kind == "listCard" {
		limit = 5
	}
	items, ok := c.array(path, m, "items", true)
	if ok && (len(items) < 1 || len(items) > limit) {
		c.fail(path+".items", "%d items, allowed 1 to %d", len(items), limit)
	}
	var shapes []string
	for i, raw := range items {
		p := fmt.Sprintf("%s.items[%d]", path, i)
		im, ok := raw.(map[string]any)
		if !ok {
			c.fail(p, "not an object")
			continue
		}
		c.card(p, kind, im, true)
		shapes = append(shapes, shape(kind, im))
	}
	for i := 1; i < len(shapes); i++ {
		if shapes[i] != shapes[0] {
			c.fail(fmt.Sprintf("%s.items[%d]", path, i), "image ratio or thumbnail/head/profile/imageTitle use differs from items[0]")
		}
	}
	if h := c.object(path, m, "header", false); h != nil {
		p := path + ".header"
		if kind == "textCard" || kind == "listCard" {
			c.fail(p, "not supported for %s carousels", kind)
		}
		c.allowKeys(p, h, "title", "description", "thumbnail")
		c.text(p, h, "title", true, 0)
		c.text(p, h, "description", true, 0)
		c.maxLines(p, h, "title", 2)
		c.maxLines(p, h, "description", 3)
		if t := c.object(p, h, "thumbnail", true); t != nil {
			c.url(p+".thumbnail", t, "imageUrl", true)
		}
	}
}

// shape summarises what must be uniform across a carousel's cards.
func shape(kind string, m map[string]any) string {
	switch kind {
	case "basicCard":
		t, _ := m["thumbnail"].(map[string]any)
		return fmt.Sprint(t["fixedRatio"] == true)
	case "commerceCard":
		ts, _ := m["thumbnails"].([]any)
		if len(ts) > 0 {
			t, _ := ts[0].(map[string]any)
			return fmt.Sprint(t["fixedRatio"] == true)
		}
	case "itemCard":
		var parts []string
		for _, k := range []string{"thumbnail", "head", "profile", "imageTitle"} {
			_, has := m[k]
			parts = append(parts, fmt.Sprint(has))
		}
		return strings.Join(parts, ",")
	}
	return ""
}

var buttonActions = map[string]bool{"webLink": true, "message": true, "phone": true, "block": true, "share": true, "operator": true}

// buttons checks §3.6: horizontal ≤ 2, vertical ≤ 3; label 14 characters,
// 8 for two side by side; a fixedRatio thumbnail implies horizontal unless
// buttonLayout says otherwise.
func (c *checker) buttons(path string, m map[string]any, fixedRatio bool) {
	layout, hasLayout := c.str(path, m, "buttonLayout")
	if hasLayout && layout != "vertical" && layout != "horizontal" {
		c.fail(path+".buttonLayout", "%q", layout)
	}
	bs, ok := c.array(path, m, "buttons", false)
	if !ok {
		return
	}
	horizontal := layout == "horizontal" || (!hasLayout && fixedRatio)
	max, labelMax := 3, 14
	if horizontal {
		max = 2
		if len(bs) == 2 {
			labelMax = 8
		}
	}
	if len(bs) > max {
		c.fail(path+".buttons", "%d buttons, limit %d (horizontal=%v)", len(bs), max, horizontal)
	}
	for i, raw := range bs {
		p := fmt.Sprintf("%s.buttons[%d]", path, i)
		b, ok := raw.(map[string]any)
		if !ok {
			c.fail(p, "not an object")
			continue
		}
		c.allowKeys(p, b, "label", "action", "webLinkUrl", "messageText", "phoneNumber", "blockId", "extra")
		c.text(p, b, "label", true, labelMax)
		action, _ := c.str(p, b, "action")
		if !buttonActions[action] {
			c.fail(p+".action", "%q is not a button action", action)
		}
		switch action {
		case "webLink":
			c.url(p, b, "webLinkUrl", true)
		case "message":
			c.text(p, b, "messageText", true, 0)
		case "phone":
			c.text(p, b, "phoneNumber", true, 0)
		case "block":
			c.text(p, b, "blockId", true, 0)
		}
		c.object(p, b, "extra", false)
	}
}

// §3.7 quick replies: ≤ 10; action message (messageText) or block (blockId).
// The label has no documented limit; 14 characters is the spec's heuristic.
func (c *checker) quickReplies(raw any) {
	qrs, ok := raw.([]any)
	if !ok {
		c.fail("$.template.quickReplies", "not an array")
		return
	}
	if len(qrs) > 10 {
		c.fail("$.template.quickReplies", "%d quick replies, limit 10", len(qrs))
	}
	for i, q := range qrs {
		p := fmt.Sprintf("$.template.quickReplies[%d]", i)
		m, ok := q.(map[string]any)
		if !ok {
			c.fail(p, "not an object")
			continue
		}
		c.allowKeys(p, m, "label", "action", "messageText", "blockId", "extra")
		c.text(p, m, "label", true, 14)
		switch action, _ := c.str(p, m, "action"); action {
		case "message":
			c.text(p, m, "messageText", true, 0)
		case "block":
			c.text(p, m, "blockId", true, 0)
		default:
			c.fail(p+".action", "%q, want message or block", action)
		}
		c.object(p, m, "extra", false)
	}
}

// §3.3 context: {"values":[{"name","lifeSpan","ttl"?,"params"?}]}.
func (c *checker) context(raw any) {
	ctx, ok := raw.(map[string]any)
	if !ok {
		c.fail("$.context", "not an object")
		return
	}
	c.allowKeys("$.context", ctx, "values")
	values, ok := c.array("$.context", ctx, "values", true)
	if !ok {
		return
	}
	for i, v := range values {
		p := fmt.Sprintf("$.context.values[%d]", i)
		m, ok := v.(map[string]any)
		if !ok {
			c.fail(p, "not an object")
			continue
		}
		c.allowKeys(p, m, "name", "lifeSpan", "ttl", "params")
		c.text(p, m, "name", true, 0)
		if n, ok := c.integer(p, m, "lifeSpan", true); ok && n < 0 {
			c.fail(p+".lifeSpan", "negative")
		}
		if n, ok := c.integer(p, m, "ttl", false); ok && n < 0 {
			c.fail(p+".ttl", "negative")
		}
		if params := c.object(p, m, "params", false); params != nil {
			for k, pv := range params {
				if _, ok := pv.(string); !ok {
					c.fail(p+".params."+k, "not a string")
				}
			}
		}
	}
}

// decimalPlaces is the longest run of digits after a '.' that follows a
// digit in s.
func decimalPlaces(s string) int {
	longest := 0
	for i, r := range s {
		if r != '.' || i == 0 || s[i-1] < '0' || s[i-1] > '9' {
			continue
		}
		n := len(s[i+1:]) - len(strings.TrimLeft(s[i+1:], "0123456789"))
		longest = max(longest, n)
	}
	return longest
}
