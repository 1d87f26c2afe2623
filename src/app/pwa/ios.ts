// Whether this is an iOS browser outside the home screen, where WebKit may delete the app's data after 7 days unused.

/** iOS browsers are all WebKit and share Safari's eviction; an app launched from the home screen is exempt. */
export function needsHomeScreen(nav: Navigator = navigator, standalone = matchMedia?.('(display-mode: standalone)').matches): boolean {
  const ios = /iPad|iPhone|iPod/.test(nav.userAgent) || (nav.platform === 'MacIntel' && nav.maxTouchPoints > 1);
  const installed = standalone || (nav as Navigator & { standalone?: boolean }).standalone === true;
  return ios && !installed;
}
