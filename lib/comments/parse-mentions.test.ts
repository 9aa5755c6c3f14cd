// Who a comment @mentions: the handles found in its text, and the people they name.
import { describe, expect, it } from "vitest";
import { mentionHandles, resolveMentions, type Person } from "./parse-mentions";

const ADA: Person = { id: "u1", email: "ada@studio.local", name: "Ada Admin" };
const ANN: Person = { id: "u2", email: "ann@example.org", name: "Ann Lee" };
const ANN2: Person = { id: "u3", email: "ann@other.example", name: "Ann Other" };
const BO: Person = { id: "u4", email: "bo.li+review@example.org", name: "Bo" };
const PEOPLE = [ADA, ANN, ANN2, BO];

const mentioned = (text: string) => resolveMentions(mentionHandles(text), PEOPLE).map((person) => person.id);

describe("mentionHandles", () => {
  it("finds each @handle once, lower-cased, with sentence punctuation left out", () => {
    expect(mentionHandles("@Ada, can you look? cc @ann. And @ADA again! (@bo.li+review)")).toEqual(["ada", "ann", "bo.li+review"]);
    expect(mentionHandles("Thanks @ann@example.org.")).toEqual(["ann@example.org"]);
    expect(mentionHandles("@ann: yes; @ada!")).toEqual(["ann", "ada"]);
  });

  it("takes an email address in prose for no mention", () => {
    expect(mentionHandles("write to ann@example.org or ada.admin@studio.local")).toEqual([]);
  });

  it("ignores @ in code: a decorator is not a person", () => {
    expect(mentionHandles("the tool is `@ada` style\n\n```\n@ann\ndef f(): ...\n```\nbut @bo is")).toEqual(["bo"]);
  });

  it("finds nothing in a lone @ or @ before punctuation", () => {
    expect(mentionHandles("@ @. email@ @-x")).toEqual([]);
  });
});

describe("resolveMentions", () => {
  it("names a person by email, by the part before @, or by their name without spaces, ignoring case", () => {
    expect(mentioned("@ADA@studio.local")).toEqual(["u1"]);
    expect(mentioned("@ada")).toEqual(["u1"]);
    expect(mentioned("@AdaAdmin")).toEqual(["u1"]);
    expect(mentioned("@annlee")).toEqual(["u2"]);
    expect(mentioned("@bo.li+review and @Bo")).toEqual(["u4"]);
  });

  it("mentions nobody for a handle no one has", () => {
    expect(mentioned("@nobody @ada@elsewhere.example @Ada.Admin")).toEqual([]);
  });

  it("mentions neither when a short handle fits two people, but an email still names one", () => {
    expect(mentioned("@ann")).toEqual([]);
    expect(mentioned("@ann@other.example")).toEqual(["u3"]);
  });

  it("lists each person once, whatever the number of handles naming them", () => {
    expect(mentioned("@ada @AdaAdmin @ada@studio.local")).toEqual(["u1"]);
  });
});
