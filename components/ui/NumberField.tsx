import { FIELD, LABEL, SUB_LABEL } from "./form-classes";

/** A number field of a form (whole numbers unless `step` says otherwise), kept as text so it can be emptied while typing. */
export function NumberField({
  id,
  label,
  value,
  onChange,
  min,
  max,
  step = 1,
  placeholder,
  disabled,
  required,
  describedBy,
  small,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  min: number;
  max?: number;
  step?: number;
  /** A field inside a fieldset: its label as small as the fieldset's other labels. */
  small?: boolean;
  placeholder?: string;
  disabled: boolean;
  required?: boolean;
  describedBy?: string;
}) {
  return (
    <div>
      <label htmlFor={id} className={small ? SUB_LABEL : LABEL}>
        {label}
      </label>
      <input
        id={id}
        className={FIELD}
        type="number"
        min={min}
        max={max}
        step={step}
        placeholder={placeholder}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        disabled={disabled}
        required={required}
        aria-describedby={describedBy}
      />
    </div>
  );
}
