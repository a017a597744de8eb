// A user agent string parsed for display: ua-parser-js for browser, OS and device; isbot for bots.
import { UAParser } from 'ua-parser-js';
import { isbot } from 'isbot';

export interface ParsedUserAgent {
  browser: string | null;
  os: string | null;
  device: string | null;
  isMobile: boolean;
  isTablet: boolean;
  isPc: boolean;
  isBot: boolean;
}

const join = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(' ') || null;

export function parseUserAgent(userAgent: string | null | undefined): ParsedUserAgent | null {
  if (!userAgent) return null;
  const { browser, os, device } = new UAParser(userAgent).getResult();
  const bot = isbot(userAgent);
  const isMobile = device.type === 'mobile';
  const isTablet = device.type === 'tablet';
  return {
    browser: join(browser.name, browser.version),
    os: join(os.name, os.version),
    device: join(device.vendor, device.model),
    isMobile,
    isTablet,
    isPc: !bot && !isMobile && !isTablet && device.type === undefined,
    isBot: bot,
  };
}
