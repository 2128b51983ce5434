// The UI framework, from the vendored modules: Preact with hooks, and htm
// for templates written as tagged strings (no build step).
import { h, render, Fragment, createContext } from '../vendor/preact/preact.mjs';
import {
  useState,
  useEffect,
  useLayoutEffect,
  useRef,
  useMemo,
  useCallback,
  useContext,
} from '../vendor/preact/hooks.mjs';
import htm from '../vendor/htm/htm.mjs';

export const html = htm.bind(h);
export {
  render,
  Fragment,
  createContext,
  useState,
  useEffect,
  useLayoutEffect,
  useRef,
  useMemo,
  useCallback,
  useContext,
};
