//go:build unix && !darwin

package bench

// rssUnit: ru_maxrss is in kilobytes on Linux and the BSDs.
const rssUnit = 1024
