/** Realistic value pools the generators draw from (a small shop with a blog and videos). */

export const PAGE_PATHS = ['/', '/products', '/products/shoes', '/products/bags', '/sale', '/cart', '/checkout', '/blog', '/blog/summer-trends', '/account', '/help/shipping', '/search'] as const;
export const PAGE_TITLES = ['Home', 'All products', 'Shoes', 'Bags', 'Sale', 'Your cart', 'Checkout', 'Blog', 'Summer trends', 'Your account', 'Shipping help', 'Search'] as const;
export const REFERRERS = ['https://www.google.com/', 'https://www.bing.com/', 'https://duckduckgo.com/', 'https://t.co/', 'https://www.facebook.com/', 'https://news.ycombinator.com/', ''] as const;
export const SEARCH_TERMS = ['running shoes', 'leather bag', 'summer dress', 'wireless earbuds', 'gift card', 'rain jacket', 'yoga mat', 'sunglasses', 'kids sneakers', 'backpack', 'wool socks', 'watch strap'] as const;
export const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'CAD', 'AUD'] as const;
export const DEVICES = ['desktop', 'mobile', 'tablet'] as const;
export const OPERATING_SYSTEMS = ['Windows 11', 'macOS 15', 'iOS 19', 'Android 16', 'Linux'] as const;
export const BROWSERS = ['Chrome 142', 'Safari 19', 'Firefox 145', 'Edge 142', 'Samsung Internet 29'] as const;
export const UTM_SOURCES = ['google', 'newsletter', 'facebook', 'instagram', 'direct', 'partner'] as const;
export const UTM_MEDIUMS = ['cpc', 'email', 'social', 'referral', 'none'] as const;
export const UTM_CAMPAIGNS = ['black_friday', 'summer_sale', 'retargeting', 'brand', 'launch_q4'] as const;
export const BUTTONS = [
  { id: 'btn-add-to-cart', text: 'Add to cart' },
  { id: 'btn-checkout', text: 'Checkout' },
  { id: 'btn-subscribe', text: 'Subscribe' },
  { id: 'btn-load-more', text: 'Load more' },
  { id: 'btn-apply-coupon', text: 'Apply coupon' },
  { id: 'nav-menu', text: 'Menu' },
] as const;
export const FORMS = [
  { id: 'newsletter-signup', fields: ['email'] },
  { id: 'contact', fields: ['name', 'email', 'message'] },
  { id: 'checkout-address', fields: ['name', 'street', 'city', 'zip', 'country'] },
  { id: 'login', fields: ['email', 'password'] },
] as const;
export const VIDEOS = [
  { id: 'vid-product-tour', duration: 95 },
  { id: 'vid-how-to-fit', duration: 240 },
  { id: 'vid-brand-story', duration: 180 },
  { id: 'vid-unboxing', duration: 420 },
] as const;
export const SITE = 'https://shop.example.com';
