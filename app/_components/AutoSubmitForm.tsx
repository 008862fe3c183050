"use client";
// A GET form that applies a filter the moment it is toggled: a change to a checkbox or a select
// submits it (typing in a text field still waits for Enter or the button). Without JavaScript it
// is a plain form with its submit button.
import type { ComponentProps } from "react";

export function AutoSubmitForm(props: ComponentProps<"form">) {
  return (
    <form
      {...props}
      onChange={(event) => {
        const target: EventTarget = event.target;
        const toggled =
          target instanceof HTMLSelectElement ||
          (target instanceof HTMLInputElement && (target.type === "checkbox" || target.type === "radio"));
        if (toggled) event.currentTarget.requestSubmit();
      }}
    />
  );
}
