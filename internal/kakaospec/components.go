package kakaospec

import (
	"fmt"
	"strings"
)

func (c *checker) simpleText(path string, m map[string]any) {
	c.allowKeys(path, m, "text", "extra")
	c.text(path, m, "text", true, 1000)
}

func (c *checker) simpleImage(path string, m map[string]any) {
	c.allowKeys(path, m, "imageUrl", "altText")
	c.url(path, m, "imageUrl", true)
	c.text(path, m, "altText", false, 50)
}

// §3.4 textCard: title 50; description 400 (title+description ≤ 400) or
// 128 in a carousel; title or description required.
func (c *checker) textCard(path string, m map[string]any, inCarousel bool) {
	c.allowKeys(path, m, "title", "description", "buttons", "buttonLayout", "forwardable")
	title := c.text(path, m, "title", false, 50)
	desc := c.text(path, m, "description", false, 0)
	if strings.TrimSpace(title) == "" && strings.TrimSpace(desc) == "" {
		c.fail(path, "title or description required")
	}
	if inCarousel {
		if runes(desc) > 128 {
			c.fail(path+".description", "%d characters, carousel limit 128", runes(desc))
		}
	} else if runes(title)+runes(desc) > 400 {
		c.fail(path, "title+description %d characters, limit 400", runes(title)+runes(desc))
	}
	c.boolean(path, m, "forwardable")
	c.buttons(path, m, false)
}

func (c *checker) basicCard(path string, m map[string]any) {
	c.allowKeys(path, m, "title", "description", "thumbnail", "buttons", "buttonLayout", "forwardable")
	c.text(path, m, "title", false, 50)
	c.text(path, m, "description", false, 230)
	fixed := false
	if t := c.object(path, m, "thumbnail", true); t != nil {
		fixed = c.thumbnail(path+".thumbnail", t)
	}
	c.boolean(path, m, "forwardable")
	c.buttons(path, m, fixed)
}

// thumbnail checks §3.5 Thumbnail and returns its fixedRatio.
func (c *checker) thumbnail(path string, t map[string]any) bool {
	c.allowKeys(path, t, "imageUrl", "altText", "link", "fixedRatio", "width", "height")
	c.url(path, t, "imageUrl", true)
	c.text(path, t, "altText", false, 50)
	if l := c.object(path, t, "link", false); l != nil {
		c.link(path+".link", l)
	}
	return c.boolean(path, t, "fixedRatio")
}

func (c *checker) link(path string, l map[string]any) {
	c.allowKeys(path, l, "pc", "mobile", "web")
	if len(l) == 0 {
		c.fail(path, "empty link")
	}
	for _, k := range []string{"pc", "mobile", "web"} {
		c.url(path, l, k, false)
	}
}

// §3.4 commerceCard.
func (c *checker) commerceCard(path string, m map[string]any) {
	c.allowKeys(path, m, "title", "description", "price", "currency", "discount", "discountRate",
		"discountedPrice", "dicountedPrice", "thumbnails", "profile", "buttons", "buttonLayout", "forwardable")
	c.text(path, m, "title", false, 30)
	c.text(path, m, "description", false, 40)
	if p, ok := c.integer(path, m, "price", true); ok && p < 0 {
		c.fail(path+".price", "negative")
	}
	if cur, ok := c.str(path, m, "currency"); ok && cur != "won" {
		c.fail(path+".currency", "%q, only \"won\"", cur)
	}
	c.integer(path, m, "discount", false)
	rate, hasRate := c.integer(path, m, "discountRate", false)
	if hasRate && (rate < 0 || rate > 100) {
		c.fail(path+".discountRate", "%d is not a percentage", rate)
	}
	dp1, has1 := c.integer(path, m, "discountedPrice", false)
	dp2, has2 := c.integer(path, m, "dicountedPrice", false)
	if has1 && has2 && dp1 != dp2 {
		c.fail(path, "discountedPrice %d and dicountedPrice %d differ", dp1, dp2)
	}
	if hasRate && rate != 0 && !has1 && !has2 {
		c.fail(path+".discountRate", "requires a discounted price")
	}
	fixed := false
	if ts, ok := c.array(path, m, "thumbnails", true); ok {
		if len(ts) != 1 {
			c.fail(path+".thumbnails", "%d thumbnails, exactly 1 allowed", len(ts))
		}
		for i, t := range ts {
			tm, ok := t.(map[string]any)
			if !ok {
				c.fail(fmt.Sprintf("%s.thumbnails[%d]", path, i), "not an object")
				continue
			}
			fixed = c.thumbnail(fmt.Sprintf("%s.thumbnails[%d]", path, i), tm)
		}
	}
	if p := c.object(path, m, "profile", false); p != nil {
		c.allowKeys(path+".profile", p, "nickname", "imageUrl")
		c.text(path+".profile", p, "nickname", true, 0)
		c.url(path+".profile", p, "imageUrl", false)
	}
	c.boolean(path, m, "forwardable")
	c.buttons(path, m, fixed)
}

// §3.4 listCard: header.title required, items 1–5 (1–4 in a carousel).
func (c *checker) listCard(path string, m map[string]any, inCarousel bool) {
	c.allowKeys(path, m, "header", "items", "buttons", "buttonLayout")
	if h := c.object(path, m, "header", true); h != nil {
		c.allowKeys(path+".header", h, "title", "description", "imageUrl", "link")
		c.text(path+".header", h, "title", true, 0)
	}
	limit := 5
	if inCarousel {
		limit = 4
	}
	if items, ok := c.array(path, m, "items", true); ok {
		if len(items) < 1 || len(items) > limit {
			c.fail(path+".items", "%d items, allowed 1 to %d", len(items), limit)
		}
		for i, it := range items {
			p := fmt.Sprintf("%s.items[%d]", path, i)
			im, ok := it.(map[string]any)
			if !ok {
				c.fail(p, "not an object")
				continue
			}
			c.listItem(p, im)
		}
	}
	c.buttons(path, m, false)
}

func (c *checker) listItem(path string, m map[string]any) {
	c.allowKeys(path, m, "title", "description", "imageUrl", "link", "action", "blockId", "messageText", "extra")
	c.text(path, m, "title", true, 0)
	c.text(path, m, "description", false, 0)
	c.url(path, m, "imageUrl", false)
	if l := c.object(path, m, "link", false); l != nil {
		c.link(path+".link", l)
	}
	action, _ := c.str(path, m, "action")
	switch action {
	case "":
	case "block":
		c.text(path, m, "blockId", true, 0)
	case "message":
		c.text(path, m, "messageText", true, 0)
	default:
		c.fail(path+".action", "%q, want block or message", action)
	}
	c.object(path, m, "extra", false)
}
