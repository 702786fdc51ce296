package bench

// rssUnit: ru_maxrss is in bytes on Darwin.
const rssUnit = 1
