import type { Key, ReactNode } from 'react'
import {
  Button as AriaButton,
  TextField as AriaTextField,
  FieldError,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Select,
  SelectValue,
  Text,
} from 'react-aria-components'

export interface TextFieldProps {
  label: string
  value: string
  onChange: (value: string) => void
  type?: 'text' | 'number' | 'date' | 'datetime-local' | 'search' | 'email' | 'password'
  description?: string
  /** The server's coded issue for this field, shown under it. */
  error?: string | null
  placeholder?: string
  hideLabel?: boolean
  className?: string
  autoFocus?: boolean
  isRequired?: boolean
}

/** A labelled text input; `error` is shown where the field is. */
export function TextField(props: TextFieldProps) {
  return (
    <AriaTextField
      className={`field${props.className ? ` ${props.className}` : ''}`}
      value={props.value}
      onChange={props.onChange}
      type={props.type ?? 'text'}
      isInvalid={Boolean(props.error)}
      isRequired={props.isRequired}
      autoFocus={props.autoFocus}
      aria-label={props.hideLabel ? props.label : undefined}
    >
      {props.hideLabel ? null : <Label>{props.label}</Label>}
      <Input placeholder={props.placeholder} />
      {props.description ? <Text slot="description">{props.description}</Text> : null}
      <FieldError>{props.error}</FieldError>
    </AriaTextField>
  )
}

export interface Option {
  id: string
  label: string
}

export interface SelectFieldProps {
  label: string
  options: readonly Option[]
  value: string | null
  onChange: (value: string) => void
  hideLabel?: boolean
  placeholder?: string
  className?: string
  children?: ReactNode
}

/** A labelled pick list (a button opening a list box, as React Aria builds it). */
export function SelectField(props: SelectFieldProps) {
  return (
    <Select
      className={`field select${props.className ? ` ${props.className}` : ''}`}
      selectedKey={props.value}
      onSelectionChange={(key: Key | null) => {
        if (key !== null) props.onChange(String(key))
      }}
      aria-label={props.hideLabel ? props.label : undefined}
      placeholder={props.placeholder ?? 'Choose…'}
    >
      {props.hideLabel ? null : <Label>{props.label}</Label>}
      <AriaButton className="select-button">
        <SelectValue />
        <span aria-hidden="true" className="select-chevron">
          ▾
        </span>
      </AriaButton>
      <Popover className="popover">
        <ListBox className="listbox" items={props.options}>
          {(o) => (
            <ListBoxItem className="listbox-item" id={o.id} textValue={o.label}>
              {o.label}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </Select>
  )
}
